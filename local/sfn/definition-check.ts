/**
 * Refuses, at CreateStateMachine, every definition the engine would not run exactly as AWS does:
 * asl-validator's schema checks, then the engine's own rules (JSONata only, inline Map only, known
 * resources, no unknown field anywhere). Each message names the state and field at fault.
 */
import validator from 'asl-validator';
import { SfnServiceError } from './contract.ts';
import type { Definition } from './definition.ts';
import { checkExpressionSyntax, isExpression } from './jsonata-eval.ts';
import { classifyResource, SUPPORTED_RESOURCES } from './task-resources.ts';
import { parseOffsetDateTime } from './offset-date-time.ts';

const JSONPATH_FIELDS = new Set([
  'InputPath',
  'Parameters',
  'ResultSelector',
  'ResultPath',
  'OutputPath',
  'ItemsPath',
  'Result',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'MaxConcurrencyPath',
  'ErrorPath',
  'CausePath',
  'Iterator',
]);
const DISTRIBUTED_MAP_FIELDS = new Set([
  'ItemReader',
  'ResultWriter',
  'ItemBatcher',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'Label',
]);
const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
const STATE_FIELDS: Record<string, ReadonlySet<string>> = {
  Pass: new Set([...COMMON, ...FLOW, 'Output', 'Assign']),
  Task: new Set([
    ...COMMON,
    ...FLOW,
    'Output',
    'Assign',
    'Resource',
    'Arguments',
    'Retry',
    'Catch',
    'TimeoutSeconds',
    'HeartbeatSeconds',
  ]),
  Choice: new Set([...COMMON, 'Choices', 'Default', 'Output', 'Assign']),
  Wait: new Set([...COMMON, ...FLOW, 'Output', 'Assign', 'Seconds', 'Timestamp']),
  Succeed: new Set([...COMMON, 'Output']),
  Fail: new Set([...COMMON, 'Error', 'Cause']),
  Parallel: new Set([...COMMON, ...FLOW, 'Output', 'Assign', 'Branches', 'Arguments', 'Retry', 'Catch']),
  Map: new Set([
    ...COMMON,
    ...FLOW,
    'Output',
    'Assign',
    'ItemProcessor',
    'Items',
    'ItemSelector',
    'MaxConcurrency',
    'Retry',
    'Catch',
  ]),
};
const TOP_FIELDS = new Set(['StartAt', 'States', 'Comment', 'QueryLanguage', 'TimeoutSeconds', 'Version']);
const BLOCK_FIELDS = new Set(['StartAt', 'States', 'Comment']);
const PROCESSOR_FIELDS = new Set(['StartAt', 'States', 'Comment', 'ProcessorConfig']);
const RETRIER_FIELDS = new Set([
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
]);
const CATCHER_FIELDS = new Set(['ErrorEquals', 'Next', 'Output', 'Assign', 'Comment']);
const CHOICE_RULE_FIELDS = new Set(['Condition', 'Next', 'Output', 'Assign', 'Comment']);
const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

type Json = Record<string, unknown>;

function refuse(message: string): never {
  if (message.startsWith(':')) message = `the state machine${message}`;
  else if (message.startsWith('.')) message = message.slice(1);
  throw new SfnServiceError('InvalidDefinition', `Invalid State Machine Definition: ${message}`);
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkFieldSet(where: string, value: Json, allowed: ReadonlySet<string>, kind: string): void {
  for (const field of Object.keys(value)) {
    if (allowed.has(field)) continue;
    if (JSONPATH_FIELDS.has(field)) {
      refuse(
        `${where}: field '${field}' belongs to the JSONPath query language; this engine runs JSONata only (use Arguments, Output, Assign)`,
      );
    }
    if (DISTRIBUTED_MAP_FIELDS.has(field)) {
      refuse(`${where}: field '${field}' is a distributed Map feature; this engine runs inline Map only`);
    }
    refuse(`${where}: field '${field}' is not a known field of ${kind}`);
  }
}

/**
 * Walks a template (Arguments, Output, Assign values...), refusing bad JSONata. A key ending in `.$`
 * is an ordinary key in a JSONata state: AWS accepts it and writes it as it stands.
 */
function checkTemplate(where: string, value: unknown): void {
  if (typeof value === 'string') {
    if (isExpression(value)) {
      const problem = checkExpressionSyntax(value);
      if (problem !== undefined) refuse(`${where}: invalid JSONata expression: ${problem}`);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkTemplate(`${where}[${i}]`, item));
    return;
  }
  if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) checkTemplate(`${where}.${key}`, item);
  }
}

function checkNumberOrExpression(where: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value === 'string') {
    if (!isExpression(value)) refuse(`${where}: must be a number or a JSONata expression`);
    checkTemplate(where, value);
    return;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    refuse(`${where}: must be an integer >= ${min}`);
}

function checkAssign(where: string, assign: unknown, assignedHere: Set<string>, outer: ReadonlySet<string>): void {
  if (assign === undefined) return;
  if (!isObject(assign)) refuse(`${where}.Assign: must be an object of variable names to values`);
  for (const [name, value] of Object.entries(assign)) {
    if (!VARIABLE_NAME.test(name) || name === 'states')
      refuse(`${where}.Assign: '${name}' is not a valid variable name`);
    if (outer.has(name))
      refuse(
        `${where}.Assign: variable '${name}' is assigned in an outer scope; an inner Map or Parallel scope may read it but not assign it`,
      );
    assignedHere.add(name);
    checkTemplate(`${where}.Assign.${name}`, value);
  }
}

function checkErrorEquals(where: string, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0 || !value.every((e) => typeof e === 'string')) {
    refuse(`${where}.ErrorEquals: must be a non-empty array of error names`);
  }
  if (value.includes('States.ALL') && value.length > 1) refuse(`${where}.ErrorEquals: States.ALL must appear alone`);
}

/** "States.ALL ... must appear alone in an ErrorEquals array and must appear in the last retrier/catcher". */
function checkStatesAllIsLast(where: string, list: unknown[], kind: string): void {
  list.forEach((entry, i) => {
    if (
      i < list.length - 1 &&
      isObject(entry) &&
      Array.isArray(entry.ErrorEquals) &&
      entry.ErrorEquals.includes('States.ALL')
    ) {
      refuse(`${where}[${i}].ErrorEquals: States.ALL must appear in the last ${kind}`);
    }
  });
}

function checkRetry(where: string, retry: unknown): void {
  if (retry === undefined) return;
  if (!Array.isArray(retry)) refuse(`${where}.Retry: must be an array`);
  checkStatesAllIsLast(`${where}.Retry`, retry, 'retrier');
  retry.forEach((retrier: unknown, i) => {
    const at = `${where}.Retry[${i}]`;
    if (!isObject(retrier)) refuse(`${at}: must be an object`);
    checkFieldSet(at, retrier, RETRIER_FIELDS, 'a Retrier');
    checkErrorEquals(at, retrier.ErrorEquals);
    for (const field of ['IntervalSeconds', 'MaxDelaySeconds'] as const) {
      const v = retrier[field];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1))
        refuse(`${at}.${field}: must be a positive integer`);
    }
    const attempts = retrier.MaxAttempts;
    if (attempts !== undefined && (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0)) {
      refuse(`${at}.MaxAttempts: must be a non-negative integer`);
    }
    const rate = retrier.BackoffRate;
    if (rate !== undefined && (typeof rate !== 'number' || rate < 1))
      refuse(`${at}.BackoffRate: must be a number >= 1.0`);
    const jitter = retrier.JitterStrategy;
    if (jitter !== undefined && jitter !== 'FULL' && jitter !== 'NONE')
      refuse(`${at}.JitterStrategy: must be FULL or NONE`);
  });
}

interface BlockContext {
  readonly outerVariables: ReadonlySet<string>;
  /** false when the top level leaves QueryLanguage to its JSONPath default: each state must then opt in */
  readonly jsonataByDefault: boolean;
}

function collectAssigned(block: Json): Set<string> {
  const names = new Set<string>();
  const states = isObject(block.States) ? block.States : {};
  for (const state of Object.values(states)) {
    if (!isObject(state)) continue;
    const sources: unknown[] = [state.Assign];
    if (Array.isArray(state.Catch)) for (const c of state.Catch as unknown[]) if (isObject(c)) sources.push(c.Assign);
    if (Array.isArray(state.Choices))
      for (const c of state.Choices as unknown[]) if (isObject(c)) sources.push(c.Assign);
    for (const source of sources) if (isObject(source)) for (const name of Object.keys(source)) names.add(name);
  }
  return names;
}

function checkBlock(where: string, block: unknown, allowed: ReadonlySet<string>, ctx: BlockContext): void {
  if (!isObject(block)) refuse(`${where}: must be an object with StartAt and States`);
  checkFieldSet(where, block, allowed, where === '' ? 'a state machine' : 'a States block');
  if (typeof block.StartAt !== 'string') refuse(`${where}.StartAt: must name a state`);
  if (!isObject(block.States) || Object.keys(block.States).length === 0)
    refuse(`${where}.States: must be a non-empty object`);
  if (!(block.StartAt in block.States)) refuse(`${where}.StartAt: state '${block.StartAt}' does not exist`);
  const assignedHere = collectAssigned(block);
  const innerContext: BlockContext = { ...ctx, outerVariables: new Set([...ctx.outerVariables, ...assignedHere]) };
  for (const [name, state] of Object.entries(block.States)) {
    checkState(`${where}/States/${name}`, name, state, block.States, ctx, innerContext);
  }
}

function checkTransition(where: string, field: string, target: unknown, siblings: Json): void {
  if (typeof target !== 'string' || !(target in siblings))
    refuse(`${where}.${field}: '${String(target)}' is not a state of this scope`);
}

function checkState(
  where: string,
  name: string,
  state: unknown,
  siblings: Json,
  ctx: BlockContext,
  innerCtx: BlockContext,
): void {
  if (name.length === 0 || name.length > 80) refuse(`${where}: state names must be 1 to 80 characters`);
  if (!isObject(state)) refuse(`${where}: must be an object`);
  const type = state.Type;
  const allowed = typeof type === 'string' ? STATE_FIELDS[type] : undefined;
  if (allowed === undefined) refuse(`${where}.Type: '${String(type)}' is not a state type`);
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONata') {
    refuse(`${where}.QueryLanguage: '${String(state.QueryLanguage)}' is not supported; this engine runs JSONata only`);
  }
  if (state.QueryLanguage === undefined && !ctx.jsonataByDefault) {
    refuse(
      `${where}.QueryLanguage: the state inherits the default JSONPath query language, which this engine does not run; set "QueryLanguage": "JSONata"`,
    );
  }
  checkFieldSet(where, state, allowed, `a ${type} state`);
  if (allowed.has('Next')) {
    if (state.End !== undefined && state.End !== true) refuse(`${where}.End: must be true when present`);
    if ((state.Next === undefined) === (state.End === undefined)) refuse(`${where}: needs exactly one of Next or End`);
    if (state.Next !== undefined) checkTransition(where, 'Next', state.Next, siblings);
  }
  const assigned = new Set<string>();
  checkAssign(where, state.Assign, assigned, ctx.outerVariables);
  if (state.Output !== undefined) checkTemplate(`${where}.Output`, state.Output);
  if (state.Arguments !== undefined) checkTemplate(`${where}.Arguments`, state.Arguments);
  if (allowed.has('Retry')) checkRetry(where, state.Retry);
  if (state.Catch !== undefined) {
    if (!Array.isArray(state.Catch)) refuse(`${where}.Catch: must be an array`);
    checkStatesAllIsLast(`${where}.Catch`, state.Catch as unknown[], 'catcher');
    (state.Catch as unknown[]).forEach((catcher, i) => {
      const at = `${where}.Catch[${i}]`;
      if (!isObject(catcher)) refuse(`${at}: must be an object`);
      checkFieldSet(at, catcher, CATCHER_FIELDS, 'a Catcher');
      checkErrorEquals(at, catcher.ErrorEquals);
      checkTransition(at, 'Next', catcher.Next, siblings);
      checkAssign(at, catcher.Assign, assigned, ctx.outerVariables);
      if (catcher.Output !== undefined) checkTemplate(`${at}.Output`, catcher.Output);
    });
  }
  switch (type) {
    case 'Task':
      checkTask(where, state);
      break;
    case 'Choice':
      checkChoice(where, state, siblings, assigned, ctx);
      break;
    case 'Wait':
      if ((state.Seconds === undefined) === (state.Timestamp === undefined))
        refuse(`${where}: a Wait state needs exactly one of Seconds or Timestamp`);
      checkNumberOrExpression(`${where}.Seconds`, state.Seconds, 0);
      if (state.Timestamp !== undefined) {
        if (typeof state.Timestamp !== 'string')
          refuse(`${where}.Timestamp: must be an ISO-8601 string or a JSONata expression`);
        if (isExpression(state.Timestamp)) checkTemplate(`${where}.Timestamp`, state.Timestamp);
        else if (Number.isNaN(parseOffsetDateTime(state.Timestamp))) {
          refuse(
            `${where}.Timestamp: '${state.Timestamp}' is not an ISO-8601 extended offset date-time (such as 2016-03-14T01:59:00Z)`,
          );
        }
      }
      break;
    case 'Fail':
      for (const field of ['Error', 'Cause'] as const) {
        if (state[field] !== undefined && typeof state[field] !== 'string')
          refuse(`${where}.${field}: must be a string or a JSONata expression`);
        if (state[field] !== undefined) checkTemplate(`${where}.${field}`, state[field]);
      }
      break;
    case 'Parallel':
      if (!Array.isArray(state.Branches) || state.Branches.length === 0)
        refuse(`${where}.Branches: must be a non-empty array`);
      (state.Branches as unknown[]).forEach((branch, i) =>
        checkBlock(`${where}.Branches[${i}]`, branch, BLOCK_FIELDS, innerCtx),
      );
      break;
    case 'Map':
      checkMap(where, state, innerCtx);
      break;
    default:
      break;
  }
}

function checkTask(where: string, state: Json): void {
  if (typeof state.Resource !== 'string') refuse(`${where}.Resource: is required and must be a string`);
  if (classifyResource(state.Resource) === undefined) {
    refuse(
      `${where}.Resource: '${state.Resource}' is not supported by the local engine (supported: ${SUPPORTED_RESOURCES.join(', ')})`,
    );
  }
  checkNumberOrExpression(`${where}.TimeoutSeconds`, state.TimeoutSeconds, 1);
  checkNumberOrExpression(`${where}.HeartbeatSeconds`, state.HeartbeatSeconds, 1);
}

function checkChoice(where: string, state: Json, siblings: Json, assigned: Set<string>, ctx: BlockContext): void {
  if (!Array.isArray(state.Choices) || state.Choices.length === 0)
    refuse(`${where}.Choices: must be a non-empty array`);
  (state.Choices as unknown[]).forEach((rule, i) => {
    const at = `${where}.Choices[${i}]`;
    if (!isObject(rule)) refuse(`${at}: must be an object`);
    checkFieldSet(at, rule, CHOICE_RULE_FIELDS, 'a JSONata Choice rule (use Condition)');
    // AWS accepts a literal boolean as well as an expression.
    if (typeof rule.Condition !== 'boolean' && !isExpression(rule.Condition))
      refuse(`${at}.Condition: must be a boolean or a JSONata expression '{% ... %}'`);
    checkTemplate(`${at}.Condition`, rule.Condition);
    checkTransition(at, 'Next', rule.Next, siblings);
    checkAssign(at, rule.Assign, assigned, ctx.outerVariables);
    if (rule.Output !== undefined) checkTemplate(`${at}.Output`, rule.Output);
  });
  if (state.Default !== undefined) checkTransition(where, 'Default', state.Default, siblings);
}

function checkMap(where: string, state: Json, innerCtx: BlockContext): void {
  const processor = state.ItemProcessor;
  if (!isObject(processor)) refuse(`${where}.ItemProcessor: is required`);
  const config = processor.ProcessorConfig;
  if (config !== undefined) {
    if (!isObject(config)) refuse(`${where}.ItemProcessor.ProcessorConfig: must be an object`);
    if (config.Mode !== undefined && config.Mode !== 'INLINE') {
      refuse(
        `${where}.ItemProcessor.ProcessorConfig.Mode: '${String(config.Mode)}' is not supported; this engine runs inline Map only`,
      );
    }
    checkFieldSet(`${where}.ItemProcessor.ProcessorConfig`, config, new Set(['Mode']), 'ProcessorConfig (inline Map)');
  }
  checkBlock(`${where}.ItemProcessor`, processor, PROCESSOR_FIELDS, innerCtx);
  if (state.Items !== undefined) {
    if (!Array.isArray(state.Items) && !isExpression(state.Items))
      refuse(`${where}.Items: must be an array or a JSONata expression`);
    checkTemplate(`${where}.Items`, state.Items);
  }
  if (state.ItemSelector !== undefined) checkTemplate(`${where}.ItemSelector`, state.ItemSelector);
  checkNumberOrExpression(`${where}.MaxConcurrency`, state.MaxConcurrency, 0);
}

/** asl-validator compiles its JSON schemas on every call (~0.3 s): remember verdicts per definition text. */
const verdicts = new Map<string, SfnServiceError | true>();

export function parseAndCheckDefinition(text: string): Definition {
  const known = verdicts.get(text);
  if (known instanceof SfnServiceError) throw known;
  if (known === true) return JSON.parse(text) as Definition;
  try {
    const definition = checkDefinition(text);
    verdicts.set(text, true);
    return definition;
  } catch (error) {
    if (error instanceof SfnServiceError) verdicts.set(text, error);
    throw error;
  }
}

function checkDefinition(text: string): Definition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    refuse(`the definition is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) refuse('the definition must be a JSON object');
  // A top-level JSONPath is AWS's default said out loud: accepted, as long as every state opts in to JSONata.
  if (parsed.QueryLanguage !== undefined && parsed.QueryLanguage !== 'JSONata' && parsed.QueryLanguage !== 'JSONPath') {
    refuse(`QueryLanguage: '${String(parsed.QueryLanguage)}' is not a query language (JSONata or JSONPath)`);
  }
  checkNumberOrExpression('TimeoutSeconds', parsed.TimeoutSeconds, 1);
  if (typeof parsed.TimeoutSeconds === 'string') refuse('TimeoutSeconds: the execution timeout must be a number');
  checkBlock('', parsed, TOP_FIELDS, {
    outerVariables: new Set(),
    jsonataByDefault: parsed.QueryLanguage === 'JSONata',
  });
  // asl-validator mutates its input (it fills in QueryLanguage), hence the copy.
  const copy = structuredClone(parsed);
  relaxTemplatesForAslValidator(copy);
  const result = validator(copy);
  if (!result.isValid) refuse(result.errorsText('; '));
  return parsed as unknown as Definition;
}

/**
 * asl-validator 4's schema is stricter than AWS about template contents (AWS accepts any JSON value
 * as Output or Arguments, at any depth). The templates were checked above, so asl-validator sees
 * neutral stand-ins there and keeps checking everything else.
 */
function relaxTemplatesForAslValidator(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) relaxTemplatesForAslValidator(item);
    return;
  }
  if (!isObject(node)) return;
  const isStateOrRule = typeof node.Type === 'string' || 'ErrorEquals' in node || 'Condition' in node;
  if (isStateOrRule) {
    for (const field of ['Output', 'Arguments', 'ItemSelector'])
      if (node[field] !== undefined) node[field] = '{% null %}';
    if (isObject(node.Assign)) node.Assign = {};
    if (Array.isArray(node.Items)) node.Items = '{% [] %}';
    // asl-validator 4 wants a string Condition; AWS also takes a literal boolean.
    if (typeof node.Condition === 'boolean') node.Condition = `{% ${String(node.Condition)} %}`;
  }
  for (const value of Object.values(node))
    if (isObject(value) || Array.isArray(value)) relaxTemplatesForAslValidator(value);
}
