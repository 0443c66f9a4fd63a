import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { functionCatalogue } from '../../functions/catalogue.ts';
import { parseClinicConfig, type ClinicConfig } from '../../functions/platform/clinic-config.ts';
import { useClockSource, useSystemClock } from '../../functions/platform/clock.ts';
import { stateMachineCatalogue } from '../../statemachines/definitions.ts';
import { createTableIfMissing } from '../services/create-table.ts';
import { startDynamoDbLocal } from '../services/dynamodb-local.ts';
import { freePort } from '../services/free-port.ts';
import { startSesLocal, type SentEmail } from '../services/ses-local.ts';
import type { ClockMove, LocalStepFunctions } from '../sfn/contract.ts';
import { createLocalStepFunctions } from '../sfn/index.ts';
import { startLocalOpenIdProvider, type LocalOpenIdProvider } from '../oidc/local-openid-provider.ts';
import { gatherConsoleData } from '../console/console-data.ts';
import { renderConsolePage } from '../console/console-page.ts';
import { startAppServer } from './app-server.ts';
import { deployStateMachines, type DeployedStateMachine } from './deploy-state-machines.ts';
import { startDynamoDbMeteringProxy } from './dynamodb-metering-proxy.ts';
import { cachedStackPermissions } from '../iam/cached-stack-permissions.ts';
import { recordGrantUsage } from '../iam/grant-usage.ts';
import { createLocalAccess, type LocalAccess } from '../iam/local-access.ts';
import type { RolePermissions } from '../iam/stack-permissions.ts';
import { dynamoDbGuard } from './dynamodb-guard.ts';
import { executionAlarmStates, type ExecutionAlarmState } from './execution-alarms.ts';
import { FaultInjection } from './fault-injection.ts';
import { signRequestsWithFunctionCredentials } from './function-credentials.ts';
import { createFunctionHost } from './function-host.ts';
import { startGuardedFront } from './guarded-front.ts';
import { sesGuard } from './ses-guard.ts';
import { sfnGuard } from './sfn-guard.ts';
import { repositoryRoot } from './handler-loader.ts';
import { createHttpGateway } from './http-gateway.ts';
import { localAccountId, localRegion, localStateMachineArn } from './local-aws-identity.ts';
import { applyEnvironment, localEnvironment } from './local-environment.ts';
import { summariseUsage, type LocalUsage } from './local-usage.ts';

export interface LocalClinicOptions {
  /** where DynamoDB Local's files and the engine's database live */
  readonly dataDir: string;
  /** wipe dataDir first */
  readonly fresh?: boolean;
  /** 0 = any free port (what tests use); defaults: app 3000, sfn 8083, dynamodb 8000, ses 8005 */
  readonly ports?: {
    readonly app?: number;
    readonly sfn?: number;
    readonly dynamodb?: number;
    readonly ses?: number;
    readonly oidc?: number;
  };
  /** run the virtual clock this many times faster than real time; 0 (default) = only when advanced */
  readonly speed?: number;
  /** where the virtual clock starts when the data directory is new */
  readonly startTime?: Date;
  /** default: local/clinic.local.json */
  readonly clinicConfig?: ClinicConfig;
  /** keep DynamoDB's and the engine's data in memory (tests): nothing is written under dataDir */
  readonly inMemory?: boolean;
  readonly tableName?: string;
  /**
   * Each function and state machine may call only what its role in the CDK stack allows (default true).
   * `permissions` replaces the stack's roles: how a test shows that a missing grant fails the call.
   */
  readonly iam?: boolean | { readonly permissions: readonly RolePermissions[] };
  /** clinicians' links open only for the signed-in addressee or their backup (default: CLINICIAN_SIGN_IN_LOCAL=required, else off; `npm start` turns it on) */
  readonly clinicianSignIn?: boolean;
}

export interface LocalClinic {
  readonly urls: {
    readonly app: string;
    readonly sfn: string;
    readonly dynamodb: string;
    readonly ses: string;
    readonly sesViewer: string;
    readonly oidc: string;
  };
  /** the local OpenID provider the portal signs in against, and who can sign in */
  readonly identity: Pick<LocalOpenIdProvider, 'issuer' | 'clientId' | 'accounts'>;
  /** whether clinicians' links need sign-in in this clinic */
  readonly clinicianSignIn: boolean;
  readonly dataDir: string;
  readonly tableName: string;
  readonly clinic: ClinicConfig;
  readonly engine: LocalStepFunctions;
  readonly stateMachines: readonly DeployedStateMachine[];
  /** the virtual time, the one the engine and the handlers share */
  now(): Date;
  /** moves the clock forward and resolves once every due timer fired and the executions settled */
  advanceClock(move: ClockMove): Promise<Date>;
  settle(): Promise<void>;
  usage(): Promise<LocalUsage>;
  listEmails(): Promise<SentEmail[]>;
  /** the stack's alarms on failed, timed-out and aborted executions, evaluated now (also GET /_local/alarms) */
  alarms(): Promise<ExecutionAlarmState[]>;
  /** faults AWS produces, injected on purpose (also POST /_local/faults) */
  readonly faults: FaultInjection;
  /** the roles the calls are checked against; undefined when IAM is off */
  readonly access: LocalAccess | undefined;
  /** calls a catalogue function in-process, as its trigger would */
  invoke(functionId: string, event: unknown): Promise<unknown>;
  /** stops everything it started, the app first and DynamoDB Local last, and waits for each */
  stop(): Promise<void>;
}

export const defaultPorts = { app: 3000, sfn: 8083, dynamodb: 8000, ses: 8005, oidc: 3001 } as const;
export const defaultTableName = 'care-journeys';

export function readLocalClinicConfig(path = join(repositoryRoot, 'local', 'clinic.local.json')): ClinicConfig {
  return parseClinicConfig(JSON.parse(readFileSync(path, 'utf8')), path);
}

/**
 * Starts the whole clinic on loopback: SES local, DynamoDB Local (behind a capacity-metering proxy),
 * the Step Functions engine with the catalogue's functions served in-process, the state machines from
 * statemachines/, and the app port with the console and the HTTP API routes.
 *
 * The functions read their configuration from process.env, so one clinic runs per process.
 */
export async function startLocalClinic(options: LocalClinicOptions): Promise<LocalClinic> {
  const dataDir = resolve(options.dataDir);
  if (options.fresh === true) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const clinic =
    options.clinicConfig !== undefined
      ? parseClinicConfig(options.clinicConfig, 'clinicConfig')
      : readLocalClinicConfig();
  const tableName = options.tableName ?? defaultTableName;
  // a clinic on free ports (tests) puts its OpenID provider on a free port too
  const ports = {
    ...defaultPorts,
    ...options.ports,
    oidc: options.ports?.oidc ?? (options.ports?.app === 0 ? 0 : defaultPorts.oidc),
  };

  // Everything started is stopped on stop() or when a later step fails: the app port first (no new
  // requests reach the functions), then the rest in reverse order of starting.
  const stoppers: { name: string; stop: () => Promise<void> | void }[] = [];
  const stopAll = async (): Promise<void> => {
    const failures: string[] = [];
    const started = stoppers.splice(0);
    const ordered = [
      ...started.filter((s) => s.name === 'app server'),
      ...started.filter((s) => s.name !== 'app server').reverse(),
    ];
    for (const { name, stop } of ordered) {
      try {
        await stop();
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(`the local clinic did not stop cleanly:\n${failures.join('\n')}`);
  };

  try {
    // The app port is bound first: the functions need its address in APP_BASE_URL, and a port that is
    // taken should fail the start before a JVM is spawned.
    const app = await startAppServer(ports.app);
    stoppers.push({ name: 'app server', stop: () => app.stop() });

    // the portal's OpenID provider: the functions need its issuer, and it needs the app's callback
    const identity = await startLocalOpenIdProvider({
      port: ports.oidc,
      clinic,
      redirectUri: `${app.url}/portal/callback`,
    });
    stoppers.push({ name: 'OpenID provider', stop: () => identity.stop() });
    // CLINICIAN_SIGN_IN_LOCAL=required runs any test's clinic with the check on (the journey driver signs in)
    const clinicianSignIn = options.clinicianSignIn ?? process.env['CLINICIAN_SIGN_IN_LOCAL'] === 'required';

    const iam = options.iam ?? true;
    const access =
      iam === false
        ? undefined
        : await createLocalAccess(iam === true ? await cachedStackPermissions(clinic, tableName) : iam.permissions);
    if (access !== undefined) {
      signRequestsWithFunctionCredentials();
      stoppers.push({ name: 'grant usage', stop: () => recordGrantUsage(access.check) });
    }
    // the clock is the engine's, which starts below; faults injected before then never expire by time
    let clockNow = (): number => Date.now();
    const faults = new FaultInjection(() => clockNow());

    const ses = await startSesLocal({ port: ports.ses });
    stoppers.push({ name: 'SES local', stop: () => ses.stop() });
    const sesFront = await startGuardedFront(ses.endpoint, sesGuard({ access: access?.check, faults }));
    stoppers.push({ name: 'SES front', stop: () => sesFront.stop() });

    const dynamodb = await startDynamoDbLocal({
      port: ports.dynamodb,
      dataDir: options.inMemory === true ? undefined : join(dataDir, 'dynamodb'),
    });
    stoppers.push({ name: 'DynamoDB Local', stop: () => dynamodb.stop() });
    const meter = await startDynamoDbMeteringProxy(dynamodb.endpoint, dynamoDbGuard({ access: access?.check, faults }));
    stoppers.push({ name: 'DynamoDB metering proxy', stop: () => meter.stop() });

    // Likewise the functions need the engine's address before the engine resumes any execution.
    const sfnPort = ports.sfn === 0 ? await freePort() : ports.sfn;
    const sfnFront =
      access === undefined
        ? undefined
        : await startGuardedFront(
            `http://127.0.0.1:${sfnPort}`,
            sfnGuard({
              access: access.check,
              stateMachineArns: stateMachineCatalogue.map((spec) => localStateMachineArn(spec.id)),
            }),
          );
    if (sfnFront !== undefined) stoppers.push({ name: 'Step Functions front', stop: () => sfnFront.stop() });
    const restoreEnvironment = applyEnvironment(
      localEnvironment({
        tableName,
        appBaseUrl: app.url,
        clinic,
        dynamoDbEndpoint: meter.endpoint,
        sfnEndpoint: sfnFront?.endpoint ?? `http://127.0.0.1:${sfnPort}`,
        sesEndpoint: sesFront.endpoint,
        stateMachineIds: stateMachineCatalogue.map((spec) => spec.id),
        portal: {
          issuer: identity.issuer,
          clientId: identity.clientId,
          sessionKey: randomBytes(32).toString('base64url'),
          clinicianSignIn,
        },
      }),
    );
    stoppers.push({ name: 'environment', stop: restoreEnvironment });

    await createTableIfMissing(dynamodb.endpoint, tableName);

    const functions = createFunctionHost(functionCatalogue, undefined, {
      faults,
      ...(access === undefined
        ? {}
        : {
            authorizeInvoke: (executionArn: string, functionId: string) =>
              access.authorizeInvoke(executionArn, functionId),
          }),
    });
    const engine = await createLocalStepFunctions({
      dbPath: options.inMemory === true ? ':memory:' : join(dataDir, 'sfn.sqlite'),
      lambdas: functions.registry,
      startTime: options.startTime,
      speed: options.speed ?? 0,
      region: localRegion,
      accountId: localAccountId,
      ...(access === undefined ? {} : { authorizeChildStart: access.authorizeChildStart }),
    });
    clockNow = () => engine.now().getTime();
    stoppers.push({ name: 'Step Functions engine', stop: () => engine.close() });
    useClockSource(() => engine.now());
    stoppers.push({ name: 'clock', stop: useSystemClock });
    const sfn = await engine.listen(sfnPort);

    const stateMachines = await deployStateMachines(engine);

    const gateway = createHttpGateway({
      invoke: (functionId, event) => functions.invoke(functionId, event),
      now: () => engine.now(),
      onError: (error, routeKey) => console.error(`local runtime: ${routeKey} failed:`, error),
    });
    const usage = async (): Promise<LocalUsage> =>
      summariseUsage({
        at: engine.now(),
        engine: engine.usage(),
        functions: functions.usage(),
        dynamodb: meter.capacity(),
        emails: await ses.listEmails(),
        httpRequests: gateway.requestCount(),
      });
    const alarms = (): Promise<ExecutionAlarmState[]> => executionAlarmStates(engine, stateMachines, engine.now());
    const urls = {
      app: app.url,
      sfn: sfn.url,
      dynamodb: dynamodb.endpoint,
      ses: ses.endpoint,
      sesViewer: ses.viewerUrl,
      oidc: identity.issuer,
    };
    app.serve({
      gateway,
      now: () => engine.now(),
      advanceClock: (move) => engine.advanceClock(move),
      usage,
      alarms,
      faults,
      renderConsole: async () =>
        renderConsolePage(
          await gatherConsoleData({
            engine,
            clinic,
            speed: options.speed ?? 0,
            urls,
            dynamoDbEndpoint: dynamodb.endpoint,
            tableName,
            listEmails: () => ses.listEmails(),
            usage,
          }),
        ),
    });

    return {
      urls,
      identity: { issuer: identity.issuer, clientId: identity.clientId, accounts: identity.accounts },
      clinicianSignIn,
      dataDir,
      tableName,
      clinic,
      engine,
      stateMachines,
      now: () => engine.now(),
      advanceClock: (move) => engine.advanceClock(move),
      settle: () => engine.settle(),
      usage,
      listEmails: () => ses.listEmails(),
      alarms,
      faults,
      access,
      invoke: (functionId, event) => functions.invoke(functionId, event),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch((stopError: unknown) => console.error(stopError));
    throw error;
  }
}
