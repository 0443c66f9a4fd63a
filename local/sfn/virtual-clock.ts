/**
 * The engine's notion of now. It only moves when advanced, or, with a speed, in real time multiplied
 * by that speed. Persisted so a restart does not travel back in time.
 */
import type { EngineStore } from './store.ts';

export class VirtualClock {
  private baseVirtualMs: number;
  private baseRealMs: number;
  private readonly speed: number;
  private readonly store: EngineStore;

  constructor(store: EngineStore, start: Date | undefined, speed: number) {
    this.store = store;
    this.speed = speed;
    const saved = store.getMeta('clock_ms');
    // Events can be a little ahead of the saved clock when a sped-up clock was killed mid-flight.
    const lastEvent = (store.sql('SELECT COALESCE(MAX(ts_ms), 0) AS m FROM events').get() as { m: number }).m;
    this.baseVirtualMs = saved === undefined ? (start ?? new Date()).getTime() : Math.max(Number(saved), lastEvent);
    this.baseRealMs = Date.now();
    if (saved === undefined) this.persist();
  }

  nowMs(): number {
    if (this.speed <= 0) return this.baseVirtualMs;
    return Math.floor(this.baseVirtualMs + (Date.now() - this.baseRealMs) * this.speed);
  }

  get running(): boolean {
    return this.speed > 0;
  }

  /** Moves to `ms` (callers guarantee it is not in the past). */
  set(ms: number): void {
    this.baseVirtualMs = Math.max(ms, this.nowMs());
    this.baseRealMs = Date.now();
    this.persist();
  }

  persist(): void {
    this.store.setMeta('clock_ms', String(this.nowMs()));
  }
}
