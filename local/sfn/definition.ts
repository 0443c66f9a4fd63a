/**
 * The shape of a JSONata-mode definition once validated (definition-check.ts guarantees these types),
 * and how a run finds the States block it executes.
 */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly Output?: unknown;
  readonly Assign?: Record<string, unknown>;
}

export interface ChoiceRule {
  readonly Condition: string;
  readonly Next: string;
  readonly Output?: unknown;
  readonly Assign?: Record<string, unknown>;
}

export interface StatesBlock {
  readonly StartAt: string;
  readonly States: Record<string, StateDef>;
}

export interface StateDef {
  readonly Type: 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Parallel' | 'Map' | 'Succeed' | 'Fail';
  readonly Next?: string;
  readonly End?: boolean;
  readonly Output?: unknown;
  readonly Assign?: Record<string, unknown>;
  readonly Arguments?: unknown;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number | string;
  readonly HeartbeatSeconds?: number | string;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  readonly Choices?: readonly ChoiceRule[];
  readonly Default?: string;
  readonly Seconds?: number | string;
  readonly Timestamp?: string;
  readonly Branches?: readonly StatesBlock[];
  readonly ItemProcessor?: StatesBlock;
  readonly Items?: unknown;
  readonly ItemSelector?: unknown;
  readonly MaxConcurrency?: number | string;
  readonly Error?: string;
  readonly Cause?: string;
}

export interface Definition extends StatesBlock {
  readonly TimeoutSeconds?: number;
}

/**
 * A scope path names the States block a run executes: [] is the top level; each step is a Parallel
 * state's name and branch index, or a Map state's name (index -1: its ItemProcessor).
 */
export type ScopePath = readonly (readonly [string, number])[];

export function resolveScope(definition: Definition, path: ScopePath): StatesBlock {
  let block: StatesBlock = definition;
  for (const [stateName, branch] of path) {
    const state = block.States[stateName];
    const next = branch < 0 ? state?.ItemProcessor : state?.Branches?.[branch];
    if (next === undefined) throw new Error(`scope ${JSON.stringify(path)} does not exist in the definition`);
    block = next;
  }
  return block;
}
