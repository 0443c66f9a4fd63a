/**
 * Evaluates the `{% ... %}` JSONata templates of a definition. Compiled expressions are cached per
 * engine (the clock they read is the engine's), and `$now()`/`$millis()` read the virtual clock.
 *
 * Fields are named as AWS names them in a cause and in an EvaluationFailed event's `location`:
 * relative to the state, `/` before each object key and `[i]` for each array index
 * (`Output/result`, `Arguments/Payload/items[0]`, `Assign/x`, `Choices[1]/Condition`).
 */
import jsonata from 'jsonata';
import { stepFunctionsJsonataFunctions } from './sfn-jsonata-functions.ts';

/**
 * A JSONata field that could not give a value. `message` is AWS's cause without the state prefix
 * (the state action adds "An error occurred while executing the state ..."); `location` names the field.
 */
export class QueryEvaluationError extends Error {
  readonly location: string | undefined;
  constructor(message: string, location?: string) {
    super(message);
    this.name = 'States.QueryEvaluationError';
    this.location = location;
  }
}

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}');
}

export function expressionBody(template: string): string {
  return template.slice(2, -2);
}

/** The expression as AWS quotes it in a cause: the template's body without the `{% %}` and outer blanks. */
function quoted(template: string): string {
  return expressionBody(template).trim();
}

/** Throws with jsonata's message when the expression does not parse; used at CreateStateMachine. */
export function checkExpressionSyntax(template: string): string | undefined {
  try {
    jsonata(expressionBody(template));
    return undefined;
  } catch (error) {
    return describeJsonataError(error);
  }
}

/** jsonata's errors carry a code (`T1006`) that AWS puts before the message. */
function describeJsonataError(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' ? `${code}: ${text}` : text;
}

export type Bindings = Record<string, unknown>;

interface JsonataFunctionValue {
  implementation: (...args: unknown[]) => unknown;
}

export class TemplateEvaluator {
  private readonly compiled = new Map<string, jsonata.Expression>();
  private readonly clockMs: () => number;

  constructor(clockMs: () => number) {
    this.clockMs = clockMs;
  }

  private compile(body: string): jsonata.Expression {
    let expression = this.compiled.get(body);
    if (expression !== undefined) return expression;
    expression = jsonata(body);
    const clockMs = this.clockMs;
    expression.registerFunction(
      'now',
      function (this: jsonata.Focus, picture?: string, timezone?: string) {
        const fromMillis = this.environment.lookup('fromMillis') as JsonataFunctionValue;
        return fromMillis.implementation.call(this, clockMs(), picture, timezone);
      },
      '<s?s?:s>',
    );
    expression.registerFunction('millis', () => clockMs(), '<:n>');
    for (const fn of stepFunctionsJsonataFunctions)
      expression.registerFunction(fn.name, fn.impl as (...args: unknown[]) => unknown, fn.signature);
    // Step Functions leaves $eval out of JSONata: calling it fails as calling any undefined function does.
    expression.registerFunction('eval', () => {
      throw Object.assign(new Error('Attempted to invoke a non-function'), { code: 'T1006' });
    });
    this.compiled.set(body, expression);
    return expression;
  }

  /** One `{% %}` expression; nothing (undefined) is an error wherever it stands, as on AWS. */
  private async evaluateExpression(template: string, bindings: Bindings, field: string): Promise<unknown> {
    let value: unknown;
    try {
      value = await this.compile(expressionBody(template)).evaluate(null, bindings);
    } catch (error) {
      throw new QueryEvaluationError(
        `The JSONata expression '${quoted(template)}' specified for the field '${field}' threw an error during evaluation. ${describeJsonataError(error)}`,
        field,
      );
    }
    const plain = toPlainJson(value, template, field);
    if (plain === undefined) {
      throw new QueryEvaluationError(
        `The JSONata expression '${quoted(template)}' specified for the field '${field}' returned nothing (undefined).`,
        field,
      );
    }
    return plain;
  }

  /**
   * Evaluates a field: an expression string, or a JSON value whose strings at any depth may be
   * expressions. `field` is the field's AWS name (`Output`, `Assign/x`, `Choices[0]/Condition`).
   */
  async evaluate(value: unknown, bindings: Bindings, field: string): Promise<unknown> {
    if (isExpression(value)) return this.evaluateExpression(value, bindings, field);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const [i, item] of value.entries()) out.push(await this.evaluate(item, bindings, `${field}[${i}]`));
      return out;
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value))
        out[key] = await this.evaluate(item, bindings, `${field}/${key}`);
      return out;
    }
    return value;
  }
}

/**
 * jsonata returns sequences (arrays with extra flags), functions and non-finite numbers; a state
 * carries only JSON. A one-element sequence is its element, as JSONata itself prints it.
 */
function toPlainJson(value: unknown, template: string, field: string): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return undefined;
  if (Array.isArray(value)) {
    if ((value as { sequence?: boolean }).sequence === true && value.length === 1)
      return toPlainJson(value[0], template, field);
    return value.map((item) => toPlainJson(item, template, field) ?? null);
  }
  if (value !== null && typeof value === 'object') {
    if ((value as { _jsonata_lambda?: boolean })._jsonata_lambda === true) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const plain = toPlainJson(item, template, field);
      if (plain !== undefined) out[key] = plain;
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new QueryEvaluationError(
      `The JSONata expression '${quoted(template)}' specified for the field '${field}' threw an error during evaluation. D1001: Number out of range: ${String(value)}`,
      field,
    );
  }
  return value;
}
