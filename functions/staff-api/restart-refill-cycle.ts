import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { loadPatientContext } from '../patient/patient-context.ts';
import { functionEnvironment } from '../platform/environment.ts';
import { commitChange, type AuditActor } from '../store/audited-change.ts';
import { functionContext } from '../platform/function-context.ts';
import { JourneyWorkflowNotConfigured } from './start-journey-execution.ts';

let client: SFNClient | undefined;

export type RestartAnswer =
  | { readonly started: true; readonly cycle: number; readonly executionName: string }
  | { readonly started: false; readonly conflict: string };

/**
 * Staff start the next refill cycle after one ended without a fill (request unanswered, not approved,
 * refused for good). The cycle number is the next after every cycle on record (fills and refill audit
 * events), and the execution is named `<journeyId>-refill-<n>` as the cycles name each other, so a retry
 * or a cycle that started meanwhile can never make two.
 */
export async function restartRefillCycle(input: {
  patientId: string;
  actor: AuditActor;
  reason: string;
}): Promise<RestartAnswer> {
  const arn = functionEnvironment().stateMachineArns.refillCycle;
  if (arn === undefined) throw new JourneyWorkflowNotConfigured('REFILL_CYCLE_STATE_MACHINE_ARN is not set');
  const context = await loadPatientContext(input.patientId);
  const { journey } = context;
  if (journey.status === 'closed') return { started: false, conflict: 'the journey is closed' };
  if (journey.onHold)
    return { started: false, conflict: 'the patient is on clinical hold: the clinician decides first' };
  if (journey.phase !== 'maintenance')
    return { started: false, conflict: `the journey is in ${journey.phase}, not maintenance` };

  const cyclesOnRecord = [
    ...context.fills.map((fill) => fill.cycle),
    ...context.record.audit
      .filter((event) => event.action.startsWith('refill.'))
      .map((event) => event.details?.['cycle']),
  ].filter((cycle): cycle is number => typeof cycle === 'number');
  const latest = Math.max(0, ...cyclesOnRecord);
  client ??= new SFNClient({});
  if (latest > 0 && (await executionStatus(arn, `${journey.id}-refill-${latest}`)) === 'RUNNING') {
    return { started: false, conflict: `refill cycle ${latest} is still running` };
  }
  const cycle = latest + 1;
  const executionName = `${journey.id}-refill-${cycle}`;
  // asked first: StartExecution answers a running execution of the same name and input with success
  if ((await executionStatus(arn, executionName)) !== undefined)
    return { started: false, conflict: `refill cycle ${cycle} has already started` };
  try {
    await client.send(
      new StartExecutionCommand({
        stateMachineArn: arn,
        name: executionName,
        input: JSON.stringify({ patientId: input.patientId, journeyId: journey.id, cycle }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists')
      return { started: false, conflict: `refill cycle ${cycle} has already started` };
    throw error;
  }
  const { client: db, tableName } = functionContext();
  await commitChange(db, tableName, {
    writes: [],
    audit: {
      patientId: input.patientId,
      actor: input.actor,
      action: 'refill.cycle-restarted',
      reason: input.reason,
      details: { cycle, executionName },
    },
  });
  return { started: true, cycle, executionName };
}

async function executionStatus(stateMachineArn: string, name: string): Promise<string | undefined> {
  const executionArn = stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
  try {
    const described = await (client as SFNClient).send(new DescribeExecutionCommand({ executionArn }));
    return described.status;
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}
