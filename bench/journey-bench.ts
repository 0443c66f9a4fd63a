import { availableParallelism, loadavg } from 'node:os';
import { startTestClinic } from '../test/support/local-clinic.ts';
import { captureFunctionLogs } from './function-log-capture.ts';
import { executionLogRecords, type TimedBytes } from './execution-log-bytes.ts';
import { drivePatientJourney, type PatientJourneyRecord, type Stretch } from './patient-journey.ts';

/**
 * One local clinic for the journey measurements of `npm run bench`: a first patient on the fresh clinic
 * (the wall time a test or a clinic engineer sees, and the cost, while nothing else runs in it), then,
 * if asked, a second patient on the now warm clinic (DynamoDB Local's JVM has compiled its hot paths).
 */
export interface JourneyBench {
  readonly first: PatientJourneyRecord;
  /** what Step Functions would log for the first patient's executions */
  readonly firstExecutionLogs: readonly TimedBytes[];
  /** the second patient's stretches; the first patient's next refill window may open meanwhile */
  readonly warm: { readonly toPlan: Stretch; readonly induction: Stretch } | undefined;
  readonly machine: { readonly cores: number; readonly loadAverageBefore: number; readonly loadAverageAfter: number };
}

/** `iam: false` runs the clinic without the stack's IAM enforcement, to measure what enforcement costs. */
export async function runJourneyBench(options: { warmPatient: boolean; iam?: boolean }): Promise<JourneyBench> {
  const loadAverageBefore = loadavg()[0] ?? 0;
  const logs = captureFunctionLogs();
  try {
    const clinic = await startTestClinic({ iam: options.iam ?? true });
    try {
      const first = await drivePatientJourney(clinic, { functionLogBytes: logs.bytes });
      const firstExecutionLogs = await executionLogRecords(clinic, first.patient.journeyId);
      const warm = options.warmPatient ? await drivePatientJourney(clinic, { maintenanceMonths: 0 }) : undefined;
      return {
        first,
        firstExecutionLogs,
        warm: warm === undefined ? undefined : { toPlan: warm.toPlan, induction: warm.induction },
        machine: { cores: availableParallelism(), loadAverageBefore, loadAverageAfter: loadavg()[0] ?? 0 },
      };
    } finally {
      await clinic.stop();
    }
  } finally {
    logs.stop();
  }
}
