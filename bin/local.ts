import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryRoot } from '../local/runtime/handler-loader.ts';
import { defaultPorts, startLocalClinic, type LocalClinic } from '../local/runtime/start-local-clinic.ts';
import { localPassword } from '../local/oidc/local-accounts.ts';

/**
 * `npm start`: the whole clinic on this machine. Ports come from PORT, SFN_PORT, DYNAMODB_PORT and
 * SES_PORT; data lives under .local/ and survives restarts unless --fresh is given.
 */
const usage = `Usage: npm start -- [--fresh] [--speed N]

  --fresh      start from empty data (wipes .local/)
  --speed N    run the virtual clock N times faster than real time (default: it moves only when advanced)
  --help       show this text

Ports (environment): PORT (${defaultPorts.app}), SFN_PORT (${defaultPorts.sfn}), DYNAMODB_PORT (${defaultPorts.dynamodb}), SES_PORT (${defaultPorts.ses}), OIDC_PORT (${defaultPorts.oidc})`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`${name}=${raw} is not a port number`);
  return port;
}

let args: ReturnType<
  typeof parseArgs<{ options: { fresh: { type: 'boolean' }; speed: { type: 'string' }; help: { type: 'boolean' } } }>
>;
try {
  args = parseArgs({
    options: { fresh: { type: 'boolean' }, speed: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
} catch (error) {
  fail((error as Error).message);
}
if (args.values.help === true) {
  console.log(usage);
  process.exit(0);
}
const speed = args.values.speed === undefined ? 0 : Number(args.values.speed);
if (!Number.isFinite(speed) || speed < 0) fail(`--speed ${args.values.speed} is not a number 0 or more`);

const dataDir = join(repositoryRoot, '.local');
console.log(`Starting the local clinic${args.values.fresh === true ? ' from empty data' : ''}…`);
let clinic: LocalClinic;
try {
  clinic = await startLocalClinic({
    dataDir,
    fresh: args.values.fresh === true,
    speed,
    ports: {
      app: portFromEnv('PORT', defaultPorts.app),
      sfn: portFromEnv('SFN_PORT', defaultPorts.sfn),
      dynamodb: portFromEnv('DYNAMODB_PORT', defaultPorts.dynamodb),
      ses: portFromEnv('SES_PORT', defaultPorts.ses),
      oidc: portFromEnv('OIDC_PORT', defaultPorts.oidc),
    },
    // as on AWS: a clinician's emailed link opens after they sign in
    clinicianSignIn: true,
  });
} catch (error) {
  const message = (error as Error).message;
  const portHint = /in use|EADDRINUSE/i.test(message)
    ? '\n\nAnother program holds one of the ports: stop it, or choose others with PORT, SFN_PORT, DYNAMODB_PORT, SES_PORT.'
    : '';
  console.error(`\nThe local clinic could not start:\n${message}${portHint}`);
  process.exit(1);
}

const pad = (label: string) => label.padEnd(22);
console.log(`
  ${clinic.clinic.clinicName} is running on this machine.

  ${pad('Console')}${clinic.urls.app}/
  ${pad('App routes (HTTP API)')}${clinic.urls.app}/p/{token} (patients), ${clinic.urls.app}/c/{token} (clinicians), ${clinic.urls.app}/staff/…
  ${pad('Portal')}${clinic.urls.app}/portal   (sign in through the local OpenID provider, ${clinic.urls.oidc})
  ${pad('')}${clinic.identity.accounts.map((a) => `${a.id} (${a.name}, ${a.role})`).join(', ')}
  ${pad('')}id as above, password ${localPassword}; a clinician's /c/ link asks for sign-in first
  ${pad('Mail viewer')}${clinic.urls.sesViewer}
  ${pad('Step Functions')}${clinic.urls.sfn}
  ${pad('DynamoDB Local')}${clinic.urls.dynamodb}   (table ${clinic.tableName})
  ${pad('SES')}${clinic.urls.ses}
  ${pad('Virtual clock')}${clinic.now().toISOString()}${speed > 0 ? ` (${speed}× real time)` : ''}
  ${pad('State machines')}${clinic.stateMachines.map((m) => `${m.name} (${m.outcome})`).join(', ') || 'none yet'}
  ${pad('Data')}${clinic.dataDir}

  Move the clock:  curl -X POST ${clinic.urls.app}/_local/clock -d '{"advanceSeconds": 86400}'
  Usage and cost:  curl ${clinic.urls.app}/_local/usage

  Press Ctrl-C to stop everything.
`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    console.log('Second signal: exiting without waiting for the services to stop.');
    process.exit(130);
  }
  stopping = true;
  console.log(`\n${signal}: stopping the local clinic…`);
  try {
    await clinic.stop();
    console.log('Stopped. Data kept in .local/ (npm start -- --fresh starts over).');
    process.exit(0);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
