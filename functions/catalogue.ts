/**
 * The one list of the system's Lambda functions, read by the CDK stack (to create and wire them)
 * and by the local runtime (to serve them in-process). Add a function here and both places get it.
 *
 * A state machine names a function through the placeholder `${<Pascal id>FunctionArn}`, e.g.
 * `${ScreeningFunctionArn}`; CDK fills it with the real ARN, the local runtime with a local one.
 */
export interface FunctionSpec {
  /** kebab-case id; also the folder under functions/ that holds `handler.ts` */
  readonly id: string;
  readonly description: string;
  /** how the function is reached: by a state machine task, or by HTTP through the API */
  readonly trigger: 'workflow' | 'http';
  readonly access: {
    readonly table: 'read' | 'readwrite';
    /** sends email through SES */
    readonly email: boolean;
    /** 'callback': SendTaskSuccess/Failure; 'start': also StartExecution and DescribeExecution */
    readonly workflows: 'none' | 'callback' | 'start';
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
    access: { table: 'readwrite', email: true, workflows: 'none' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'request-action',
    description: 'Creates a one-time link for a person to act on a waiting workflow step and emails it',
    trigger: 'workflow',
    // 'callback': a decision that arrived while the step was being re-armed is delivered at once
    access: { table: 'readwrite', email: true, workflows: 'callback' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'send-reminder',
    description: 'Sends one scheduled reminder once (at least once), unless the patient is on hold',
    trigger: 'workflow',
    access: { table: 'readwrite', email: true, workflows: 'none' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'refill-gate',
    description: 'Applies every refill rule of the protocol and records the decision with its reasons',
    trigger: 'workflow',
    // a request that signals harm (unreported lost medication, blood in urine) places a clinical hold:
    // the urgent alert email and ending the patient's waiting steps need SES and task callbacks
    access: { table: 'readwrite', email: true, workflows: 'callback' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'record-progress',
    description: 'Records a journey step (phase, session, fill) with one conditional write and its audit event',
    trigger: 'workflow',
    // 'callback': an interruptible wait registers its task token so a clinical hold can end it at once
    access: { table: 'readwrite', email: true, workflows: 'callback' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    id: 'schedule',
    description: "Computes when the journey's next steps are due (protocol intervals, the patient's time zone, quiet hours)",
    trigger: 'workflow',
    access: { table: 'read', email: false, workflows: 'none' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  // Patients' and clinicians' links are two functions: each bundles only its own pages, and a flood of
  // requests on one audience's links cannot use up the other's reserved concurrency.
  {
    id: 'patient-pages',
    description: "Serves the patients' emailed-link pages: GET renders, POST decides once",
    trigger: 'http',
    access: { table: 'readwrite', email: true, workflows: 'callback' },
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: ['GET /p/{token}', 'POST /p/{token}'],
  },
  {
    id: 'clinician-pages',
    description: "Serves the clinicians' emailed-link pages: GET renders, POST decides once",
    trigger: 'http',
    access: { table: 'readwrite', email: true, workflows: 'callback' },
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: ['GET /c/{token}', 'POST /c/{token}'],
  },
  {
    id: 'portal',
    description: 'The clinic portal: clinicians and staff sign in (OpenID Connect) and see their work',
    trigger: 'http',
    access: { table: 'read', email: false, workflows: 'none' },
    memoryMb: 512,
    timeoutSeconds: 15,
    routes: ['GET /portal', 'GET /portal/patients', 'GET /portal/sign-in', 'GET /portal/callback', 'POST /portal/sign-out'],
  },
  {
    id: 'staff-api',
    description: 'Staff API: enrol a patient, record the consult, report an adverse event, read a journey',
    trigger: 'http',
    access: { table: 'readwrite', email: true, workflows: 'start' },
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
