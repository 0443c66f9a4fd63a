/**
 * The engine's one serial queue. API calls, timer firings and Lambda outcomes are jobs; runs that can
 * make progress wait in a ready list. Jobs go first, then one run steps, and so on: nothing ever
 * interleaves inside a transition. `settle` resolves once nothing is queued and no Lambda call is out.
 */
import { SfnServiceError } from './contract.ts';
import type { Run } from './engine-model.ts';

export class SerialQueue {
  private readonly jobs: (() => Promise<void> | void)[] = [];
  private readyRuns: Run[] = [];
  private readyHead = 0;
  private pumping = false;
  private pumpDone: Promise<void> = Promise.resolve();
  private inflight = 0;
  private settleWaiters: (() => void)[] = [];
  private closedFlag = false;
  private readonly stepRun: (run: Run) => Promise<void>;

  constructor(stepRun: (run: Run) => Promise<void>) {
    this.stepRun = stepRun;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Runs `work` alone on the queue (no transition in between) and returns its result. */
  exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.closedFlag)
      return Promise.reject(new SfnServiceError('ServiceUnavailable', 'the local Step Functions engine is closed'));
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(async () => {
        try {
          resolve(await work());
        } catch (error) {
          reject(error as Error);
        }
      });
      this.kick();
    });
  }

  /** Work begun outside the queue (a Lambda call) that will post its outcome: `settle` waits for it. */
  beginOutside(): void {
    this.inflight++;
  }

  /** The outcome of work begun with `beginOutside`, applied on the queue. */
  postOutcome(job: () => void): void {
    this.jobs.push(() => {
      this.inflight--;
      job();
    });
    this.kick();
  }

  enqueueRun(run: Run): void {
    if (run.queued) return;
    run.queued = true;
    this.readyRuns.push(run);
  }

  kick(): void {
    if (this.pumping || this.closedFlag) return;
    this.pumping = true;
    this.pumpDone = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (!this.closedFlag) {
        const job = this.jobs.shift();
        if (job !== undefined) {
          await job();
          continue;
        }
        if (this.readyHead < this.readyRuns.length) {
          const run = this.readyRuns[this.readyHead++] as Run;
          // Compact now and then, so a long-lived engine does not keep every run it ever stepped.
          if (this.readyHead > 1024 && this.readyHead * 2 > this.readyRuns.length) {
            this.readyRuns = this.readyRuns.slice(this.readyHead);
            this.readyHead = 0;
          }
          run.queued = false;
          await this.stepRun(run);
          continue;
        }
        break;
      }
    } finally {
      this.pumping = false;
      this.notifyIfSettled();
    }
  }

  private isSettled(): boolean {
    return !this.pumping && this.jobs.length === 0 && this.readyHead >= this.readyRuns.length && this.inflight === 0;
  }

  private notifyIfSettled(): void {
    if (!this.isSettled()) return;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  settle(): Promise<void> {
    if (this.isSettled() || this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  /** Stops taking work; the transition under way (if any) commits before this resolves. */
  async close(): Promise<void> {
    this.closedFlag = true;
    await this.pumpDone;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
