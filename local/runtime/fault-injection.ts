import * as z from 'zod/mini';

/**
 * Faults AWS produces, injected on purpose so retries and idempotency are proved locally: a function that
 * throws, runs out of time or is throttled; DynamoDB throttling or failing with a 5xx; SES refusing or
 * throttling. A fault lasts for a number of matching calls, or until the virtual clock passes a moment.
 */
export const faultSchema = z.union([
  z.object({
    service: z.literal('lambda'),
    /** a catalogue id; every function when absent */
    functionId: z.optional(z.string()),
    kind: z.enum(['throw', 'timeout', 'throttle']),
    /** 'after': the function ran (and wrote, and sent) but its answer is lost, as in a timeout at the last moment */
    when: z.optional(z.enum(['before', 'after'])),
  }),
  z.object({
    service: z.literal('dynamodb'),
    /** e.g. "TransactWriteItems"; every operation when absent */
    operation: z.optional(z.string()),
    /** only the calls of this catalogue function (what its credentials sign); every caller when absent */
    functionId: z.optional(z.string()),
    kind: z.enum(['throttle', 'server-error']),
  }),
  z.object({
    service: z.literal('ses'),
    /** only the emails this catalogue function sends; every sender when absent */
    functionId: z.optional(z.string()),
    kind: z.enum(['refuse', 'throttle']),
  }),
]);
export type Fault = z.infer<typeof faultSchema>;

export const faultRequestSchema = z.object({
  fault: faultSchema,
  /** how many matching calls fail; default 1 */
  calls: z.optional(z.number().check(z.int(), z.positive())),
  /** or: every matching call fails for this many seconds of the virtual clock */
  forSeconds: z.optional(z.number().check(z.positive())),
});
export type FaultRequest = z.infer<typeof faultRequestSchema>;

interface ActiveFault {
  readonly id: number;
  readonly fault: Fault;
  remainingCalls: number;
  readonly untilMs: number;
  injected: number;
}

export interface FaultCall {
  readonly service: Fault['service'];
  /** the function invoked (Lambda), or the function whose credentials signed the call (DynamoDB, SES) */
  readonly functionId?: string | undefined;
  readonly operation?: string;
}

export class FaultInjection {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;
  private injectedTotal = 0;
  private readonly callsSeen = new Map<string, number>();

  private readonly nowMs: () => number;

  constructor(nowMs: () => number) {
    this.nowMs = nowMs;
  }

  add(request: FaultRequest): number {
    const id = this.nextId++;
    const timed = request.forSeconds !== undefined;
    this.active.push({
      id,
      fault: request.fault,
      remainingCalls: timed ? Number.POSITIVE_INFINITY : (request.calls ?? 1),
      untilMs: timed ? this.nowMs() + (request.forSeconds ?? 0) * 1000 : Number.POSITIVE_INFINITY,
      injected: 0,
    });
    return id;
  }

  clear(): void {
    this.active.splice(0);
  }

  /** how many calls have failed on purpose since the start */
  injected(): number {
    return this.injectedTotal;
  }

  list(): { id: number; fault: Fault; remainingCalls: number | null; until: string | null; injected: number }[] {
    this.expire();
    return this.active.map((a) => ({
      id: a.id,
      fault: a.fault,
      remainingCalls: Number.isFinite(a.remainingCalls) ? a.remainingCalls : null,
      until: Number.isFinite(a.untilMs) ? new Date(a.untilMs).toISOString() : null,
      injected: a.injected,
    }));
  }

  /**
   * How many calls each function made to each service since the start, faults or not, keyed
   * `<service> <functionId>` (`<service> -` for a call outside any function): where a fault could meet one.
   */
  calls(): ReadonlyMap<string, number> {
    return new Map(this.callsSeen);
  }

  /** The fault this call meets, if any; the call is counted against it. */
  take(call: FaultCall): Fault | undefined {
    const key = `${call.service} ${call.functionId ?? '-'}`;
    this.callsSeen.set(key, (this.callsSeen.get(key) ?? 0) + 1);
    this.expire();
    const match = this.active.find((a) => matches(a.fault, call));
    if (match === undefined) return undefined;
    match.remainingCalls -= 1;
    match.injected += 1;
    this.injectedTotal += 1;
    return match.fault;
  }

  private expire(): void {
    const now = this.nowMs();
    for (let i = this.active.length - 1; i >= 0; i--) {
      const a = this.active[i] as ActiveFault;
      if (a.remainingCalls <= 0 || now >= a.untilMs) this.active.splice(i, 1);
    }
  }
}

function matches(fault: Fault, call: FaultCall): boolean {
  if (fault.service !== call.service) return false;
  if (fault.functionId !== undefined && fault.functionId !== call.functionId) return false;
  if (fault.service === 'dynamodb') return fault.operation === undefined || fault.operation === call.operation;
  return true;
}
