/**
 * Everything one transition writes, committed in a single SQLite transaction before the next
 * transition begins; work that must only happen once the write is durable (invoking a Lambda,
 * scheduling the next step) waits in `after`.
 */
import type { Run } from './engine-model.ts';

export class TransitionBatch {
  readonly writes: (() => void)[] = [];
  readonly runs = new Set<Run>();
  readonly usage = new Set<string>();
  readonly ready: Run[] = [];
  readonly after: (() => void)[] = [];

  write(op: () => void): void {
    this.writes.push(op);
  }

  touch(run: Run): void {
    this.runs.add(run);
  }

  schedule(run: Run): void {
    this.runs.add(run);
    this.ready.push(run);
  }
}
