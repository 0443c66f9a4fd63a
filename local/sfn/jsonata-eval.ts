/**
 * Evaluates the `{% ... %}` JSONata templates of a definition. Compiled expressions are cached per
 * engine (the clock they read is the engine's), and `$now()`/`$millis()` read the virtual clock.
 */
import jsonata from 'jsonata';
import { stepFunctionsJsonataFunctions } from './sfn-jsonata-functions.ts';

export class QueryEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.QueryEvaluationError';
  }
}

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}');
}

export function expressionBody(template: string): string {
  return template.slice(2, -2);
}

/** Throws with jsonata's message when the expression does not parse; used at CreateStateMachine. */
export function checkExpressionSyntax(template: string): string | undefined {
  try {
    jsonata(expressionBody(template));
    return undefined;
  } catch (error) {
    return (error as { message?: string }).message ?? String(error);
  }
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
    for (const fn of stepFunctionsJsonataFunctions) expression.registerFunction(fn.name, fn.impl as (...args: unknown[]) => unknown, fn.signature);
    expression.registerFunction('eval', () => {
      throw new Error('$eval is not available in Step Functions; use $parse');
    });
    this.compiled.set(body, expression);
    return expression;
  }

  async evaluateExpression(template: string, bindings: Bindings, field: string): Promise<unknown> {
    let value: unknown;
    try {
      value = await this.compile(expressionBody(template)).evaluate(null, bindings);
    } catch (error) {
      const message = (error as { message?: string }).message ?? String(error);
      throw new QueryEvaluationError(`An error occurred while evaluating the expression in field '${field}': ${message}`);
    }
    return toPlainJson(value);
  }

  /** Evaluates a field value: an expression string, or an object/array whose strings may be expressions. */
  async evaluate(value: unknown, bindings: Bindings, field: string): Promise<unknown> {
    if (isExpression(value)) {
      const result = await this.evaluateExpression(value, bindings, field);
      if (result === undefined) {
        throw new QueryEvaluationError(`The JSONata expression in field '${field}' returned nothing (undefined)`);
      }
      return result;
    }
    return this.evaluateNested(value, bindings, field);
  }

  private async evaluateNested(value: unknown, bindings: Bindings, field: string): Promise<unknown> {
    if (isExpression(value)) return this.evaluateExpression(value, bindings, field);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const [i, item] of value.entries()) {
        const evaluated = await this.evaluateNested(item, bindings, `${field}[${i}]`);
        if (evaluated !== undefined) out.push(evaluated);
      }
      return out;
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const evaluated = await this.evaluateNested(item, bindings, `${field}.${key}`);
        // AWS drops a field whose expression yields nothing rather than writing undefined.
        if (evaluated !== undefined) out[key] = evaluated;
      }
      return out;
    }
    return value;
  }
}

/** jsonata returns sequences (arrays with extra flags) and functions; states only carry JSON. */
function toPlainJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return undefined;
  if (Array.isArray(value)) {
    if ((value as { sequence?: boolean }).sequence === true && value.length === 1) return toPlainJson(value[0]);
    return value.map((item) => toPlainJson(item) ?? null);
  }
  if (value !== null && typeof value === 'object') {
    if ((value as { _jsonata_lambda?: boolean })._jsonata_lambda === true) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const plain = toPlainJson(item);
      if (plain !== undefined) out[key] = plain;
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new QueryEvaluationError('The expression produced a non-finite number');
  return value;
}
