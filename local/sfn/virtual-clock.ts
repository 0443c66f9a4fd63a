/**
 * The engine's notion of now. It only moves when advanced, or, with a speed, in real time multiplied
 * by that speed. Persisted so a restart does not travel back in time.
 */
import type { EngineRepository } from './engine-repository.ts';

export class VirtualClock {
  private baseVirtualMs: number;
  private baseRealMs: number;
  private readonly speed: number;
  private readonly repo: EngineRepository;

  constructor(repo: EngineRepository, start: Date | undefined, speed: number) {
    this.repo = repo;
    this.speed = speed;
    const saved = repo.savedClockMs();
    // Events can be a little ahead of the saved clock when a sped-up clock was killed mid-flight.
    this.baseVirtualMs = saved === undefined ? (start ?? new Date()).getTime() : Math.max(saved, repo.latestEventMs());
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
    this.repo.saveClockMs(this.nowMs());
  }
}
