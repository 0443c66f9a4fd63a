/**
 * The one list of the system's Lambda functions, read by the CDK stack (to create and wire them)
 * and by the local runtime (to serve them in-process). Add a function here and both places get it.
 *
 * A state machine names a function through the placeholder `${<Pascal id>FunctionArn}`, e.g.
 * `${ScreeningFunctionArn}`; CDK fills it with the real ARN, the local runtime with a local one.
 */
/**
 * A DynamoDB action a function sends, on the table (and on its indexes, for Query). A transaction is
 * authorized per item: its audit events are PutItem, its updates UpdateItem and its "not on hold" checks
 * ConditionCheckItem. No Scan, no batches, no DeleteItem: the store sends none.
 */
export type TableAction = 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'ConditionCheckItem';

const reads = ['GetItem', 'Query'] as const;
const writes = ['PutItem', 'UpdateItem'] as const;

export interface FunctionSpec {
  /** kebab-case id; also the folder under functions/ that holds `handler.ts` */
  readonly id: string;
  readonly description: string;
  /** how the function is reached: by a state machine task, or by HTTP through the API */
  readonly trigger: 'workflow' | 'http';
  readonly access: {
    /** the DynamoDB actions its code sends (see {@link TableAction}) */
    readonly table: readonly TableAction[];
    /** sends email through SES */
    readonly email: boolean;
    /**
     * 'complete': SendTaskSuccess (hands a decision to the task waiting for it); 'fail': SendTaskFailure (a
     * clinical hold ends the waiting tasks); 'callback': both; 'start': both, StartExecution and DescribeExecution
     */
    readonly workflows: 'none' | 'complete' | 'fail' | 'callback' | 'start';
  };
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** HTTP API routes served by an 'http' function, as "METHOD /path/{param}" (API Gateway syntax) */
  readonly routes?: readonly string[];
}

export const functionCatalogue = [
  {
    id: 'screening',
    description: 'Scores the intake instruments, applies the protocol exclusions, alerts on imminent risk',
    trigger: 'workflow',
    access: { table: [...reads, ...writes], email: true, workflows: 'none' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'request-action',
    description: 'Creates a one-time link for a person to act on a waiting workflow step and emails it',
    trigger: 'workflow',
    // 'complete': a decision that arrived while the step was being re-armed is delivered at once
    access: { table: ['GetItem', ...writes, 'ConditionCheckItem'], email: true, workflows: 'complete' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'send-reminder',
    description: 'Sends one scheduled reminder once (at least once), unless the patient is on hold',
    trigger: 'workflow',
    access: { table: [...reads, ...writes, 'ConditionCheckItem'], email: true, workflows: 'none' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'refill-gate',
    description: 'Applies every refill rule of the protocol and records the decision with its reasons',
    trigger: 'workflow',
    // a request that signals harm (unreported lost medication, blood in urine) places a clinical hold:
    // the urgent alert email and ending the patient's waiting steps need SES and SendTaskFailure
    access: { table: [...reads, ...writes, 'ConditionCheckItem'], email: true, workflows: 'fail' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'record-progress',
    description: 'Records a journey step (phase, session, fill) with one conditional write and its audit event',
    trigger: 'workflow',
    // 'fail': an interruptible wait registers its task token so a clinical hold can end it at once
    access: { table: [...reads, ...writes, 'ConditionCheckItem'], email: true, workflows: 'fail' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'schedule',
    description:
      "Computes when the journey's next steps are due (protocol intervals, the patient's time zone, quiet hours)",
    trigger: 'workflow',
    access: { table: [...reads], email: false, workflows: 'none' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  // Patients' and clinicians' links are two functions: each bundles only its own pages, and a flood of
  // requests on one audience's links cannot use up the other's reserved concurrency.
  {
    id: 'patient-pages',
    description: "Serves the patients' emailed-link pages: GET renders, POST decides once",
    trigger: 'http',
    access: { table: [...reads, ...writes], email: true, workflows: 'callback' },
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: ['GET /p/{token}', 'POST /p/{token}'],
  },
  {
    id: 'clinician-pages',
    description: "Serves the clinicians' emailed-link pages: GET renders, POST decides once",
    trigger: 'http',
    access: { table: [...reads, ...writes], email: true, workflows: 'callback' },
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: ['GET /c/{token}', 'POST /c/{token}'],
  },
  {
    id: 'portal',
    description: 'The clinic portal: clinicians and staff sign in (OpenID Connect) and see their work',
    trigger: 'http',
    access: { table: [...reads], email: false, workflows: 'none' },
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: [
      'GET /portal',
      'GET /portal/patients',
      'GET /portal/sign-in',
      'GET /portal/callback',
      'POST /portal/sign-out',
    ],
  },
  {
    id: 'staff-api',
    description: 'Staff API: enrol a patient, record the consult, report an adverse event, read a journey',
    trigger: 'http',
    access: { table: [...reads, ...writes], email: true, workflows: 'start' },
    memoryMb: 512,
    timeoutSeconds: 15,
    // IAM-authorised in AWS; open on loopback locally
    routes: ['ANY /staff/{proxy+}'],
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionId = (typeof functionCatalogue)[number]['id'];

export function functionArnPlaceholder(id: string): string {
  const pascal = id.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());
  return `${pascal}FunctionArn`;
}
