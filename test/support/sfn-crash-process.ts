/**
 * Starts the crash child (a real process: Node with tsx's loader), talks to it over IPC, and kills it
 * with SIGKILL. Each start is a new "generation" so the handler log tells which process ran what.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SFNClient } from '@aws-sdk/client-sfn';
import { appendLog } from './sfn-crash-journey.ts';
import type { ControlMessage, ControlRequest } from './sfn-crash-child.ts';

const childScript = fileURLToPath(new URL('./sfn-crash-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

type Pending = { resolve: (value: string) => void; reject: (error: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class CrashChild {
  readonly gen: number;
  readonly sfn: SFNClient;
  private readonly proc: ChildProcess;
  private readonly logPath: string;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited: Promise<void>;

  private constructor(gen: number, proc: ChildProcess, url: string, logPath: string) {
    this.gen = gen;
    this.proc = proc;
    this.logPath = logPath;
    // one attempt: a request cut off by a kill must fail, not be retried against a dead port
    this.sfn = new SFNClient({
      endpoint: url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.on('message', (message: ControlMessage) => {
      if (message.type !== 'reply') return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(String(message.result));
      else waiting?.reject(new Error(message.error));
    });
    proc.once('exit', () => {
      for (const waiting of this.pending.values()) waiting.reject(new Error('the child exited'));
      this.pending.clear();
    });
  }

  static async start(gen: number, dbPath: string, logPath: string): Promise<CrashChild> {
    const proc = spawn(process.execPath, ['--import', 'tsx', childScript], {
      cwd: repoRoot,
      env: { ...process.env, SFN_CRASH_DB: dbPath, SFN_CRASH_LOG: logPath, SFN_CRASH_GEN: String(gen) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      proc.on('message', (message: ControlMessage) => {
        if (message.type === 'ready') resolve(message.url);
      });
      proc.once('exit', (code) => reject(new Error(`crash child exited (${code}) before it was ready:\n${stderr}`)));
    });
    return new CrashChild(gen, proc, url, logPath);
  }

  private request(message: DistributiveOmit<ControlRequest, 'id'>): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send({ ...message, id });
    });
  }

  /** settles the engine and marks the log: every step logged before this line was recorded */
  async settle(): Promise<void> {
    await this.request({ op: 'settle' });
    appendLog(this.logPath, { kind: 'settled', gen: this.gen });
  }

  async advanceTo(to: Date): Promise<void> {
    await this.request({ op: 'advance', to: to.toISOString() });
  }

  /** starts moving the clock without waiting, so a kill can land in the middle of the move */
  advanceToInBackground(to: Date): void {
    this.request({ op: 'advance', to: to.toISOString() }).catch(() => undefined);
  }

  async kill(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
    appendLog(this.logPath, { kind: 'killed', gen: this.gen });
    this.sfn.destroy();
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) await this.kill();
  }
}
