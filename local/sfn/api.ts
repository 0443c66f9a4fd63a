/**
 * The Step Functions API actions, answering in AWS's JSON shapes (timestamps as epoch seconds) and
 * failing with AWS's error names, so @aws-sdk/client-sfn cannot tell it from the real service.
 */
import { randomUUID } from 'node:crypto';
import {
  isValidResourceName,
  parseExecutionArn,
  parseStateMachineArn,
  stateMachineArn,
  type ArnContext,
} from './arns.ts';
import { SfnServiceError } from './contract.ts';
import { parseAndCheckDefinition } from './definition-check.ts';
import type { Engine } from './engine.ts';
import type { ExecutionRow, StateMachineRow } from './store.ts';

type Request = Record<string, unknown>;

function seconds(ms: number | null | undefined): number | undefined {
  return ms === null || ms === undefined ? undefined : ms / 1000;
}

function requiredString(request: Request, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new SfnServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalString(request: Request, field: string): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new SfnServiceError('ValidationException', `Value at '${field}' must be a string`);
  return value;
}

function pageSize(request: Request, fallback: number, max: number): number {
  const value = request.maxResults;
  if (value === undefined || value === null || value === 0) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new SfnServiceError('ValidationException', `Value at 'maxResults' must be an integer between 0 and ${max}`);
  }
  return value;
}

function pageOffset(request: Request): number {
  const token = request.nextToken;
  if (token === undefined || token === null) return 0;
  const offset = typeof token === 'string' ? Number(Buffer.from(token, 'base64url').toString('utf8')) : Number.NaN;
  if (!Number.isInteger(offset) || offset < 0) throw new SfnServiceError('InvalidToken', 'Invalid pagination token');
  return offset;
}

function nextPageToken(offset: number, size: number, returned: number, hasMore: boolean): string | undefined {
  return hasMore && returned === size ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
}

function checkStateMachineArn(arn: string): void {
  if (parseStateMachineArn(arn) === undefined)
    throw new SfnServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

function checkExecutionArn(arn: string): void {
  if (parseExecutionArn(arn) === undefined)
    throw new SfnServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

function checkJson(text: string, errorName: string, what: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new SfnServiceError(errorName, `Invalid ${what}: ${(error as Error).message}`);
  }
}

export class StepFunctionsApi {
  private readonly engine: Engine;
  private readonly arns: ArnContext;

  constructor(engine: Engine, arns: ArnContext) {
    this.engine = engine;
    this.arns = arns;
  }

  /** Answers in wire form: what JSON.stringify would send (no undefined members). */
  async call(action: string, rawRequest: unknown): Promise<unknown> {
    const response = await this.dispatch(action, rawRequest);
    return JSON.parse(JSON.stringify(response)) as unknown;
  }

  private async dispatch(action: string, rawRequest: unknown): Promise<unknown> {
    const request: Request = rawRequest !== null && typeof rawRequest === 'object' ? (rawRequest as Request) : {};
    switch (action) {
      case 'CreateStateMachine':
        return this.createStateMachine(request);
      case 'UpdateStateMachine':
        return this.updateStateMachine(request);
      case 'DescribeStateMachine':
        return this.describeStateMachine(request);
      case 'ListStateMachines':
        return this.listStateMachines(request);
      case 'DeleteStateMachine':
        return this.deleteStateMachine(request);
      case 'StartExecution':
        return this.startExecution(request);
      case 'DescribeExecution':
        return this.describeExecution(request);
      case 'DescribeStateMachineForExecution':
        return this.describeStateMachineForExecution(request);
      case 'StopExecution':
        return this.stopExecution(request);
      case 'ListExecutions':
        return this.listExecutions(request);
      case 'GetExecutionHistory':
        return this.getExecutionHistory(request);
      case 'SendTaskSuccess': {
        const token = requiredString(request, 'taskToken');
        const output = requiredString(request, 'output');
        checkJson(output, 'InvalidOutput', 'Output');
        await this.engine.sendTaskSuccess(token, JSON.parse(output) as unknown);
        return {};
      }
      case 'SendTaskFailure':
        await this.engine.sendTaskFailure(
          requiredString(request, 'taskToken'),
          optionalString(request, 'error'),
          optionalString(request, 'cause'),
        );
        return {};
      case 'SendTaskHeartbeat':
        await this.engine.sendTaskHeartbeat(requiredString(request, 'taskToken'));
        return {};
      default:
        throw new SfnServiceError(
          'UnknownOperationException',
          `The local Step Functions service does not implement '${action}'`,
        );
    }
  }

  private stateMachineRow(arn: string): StateMachineRow {
    checkStateMachineArn(arn);
    const row = this.engine.repo.stateMachine(arn);
    if (row === undefined)
      throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return row;
  }

  private executionRow(arn: string): ExecutionRow {
    checkExecutionArn(arn);
    const row = this.engine.repo.execution(arn);
    if (row === undefined) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return row;
  }

  private createStateMachine(request: Request): unknown {
    const name = requiredString(request, 'name');
    if (!isValidResourceName(name)) throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    const definition = requiredString(request, 'definition');
    const type = optionalString(request, 'type') ?? 'STANDARD';
    if (type !== 'STANDARD')
      throw new SfnServiceError(
        'ValidationException',
        `type '${type}' is not supported by the local engine: only STANDARD workflows run here`,
      );
    const roleArn =
      optionalString(request, 'roleArn') ?? `arn:aws:iam::${this.arns.accountId}:role/local-step-functions`;
    parseAndCheckDefinition(definition);
    const arn = stateMachineArn(this.arns, name);
    const repo = this.engine.repo;
    const existing = repo.stateMachine(arn);
    if (existing !== undefined) {
      // Idempotent like AWS: same name and definition returns the existing machine.
      if (existing.definition === definition && existing.type === type)
        return { stateMachineArn: arn, creationDate: seconds(existing.created_ms) };
      throw new SfnServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const now = this.engine.clock.nowMs();
    repo.insertStateMachine({ arn, name, definition, roleArn, type, createdMs: now });
    return { stateMachineArn: arn, creationDate: seconds(now) };
  }

  private updateStateMachine(request: Request): unknown {
    const arn = requiredString(request, 'stateMachineArn');
    const row = this.stateMachineRow(arn);
    const definition = optionalString(request, 'definition');
    const roleArn = optionalString(request, 'roleArn');
    if (definition === undefined && roleArn === undefined) {
      throw new SfnServiceError('MissingRequiredParameter', 'UpdateStateMachine needs a definition or a roleArn');
    }
    if (definition !== undefined) parseAndCheckDefinition(definition);
    const now = this.engine.clock.nowMs();
    const revision = row.revision + 1;
    this.engine.repo.updateStateMachine(arn, {
      definition: definition ?? row.definition,
      roleArn: roleArn ?? row.role_arn,
      updatedMs: now,
      revision,
    });
    return { updateDate: seconds(now), revisionId: String(revision) };
  }

  private describeStateMachineRow(row: StateMachineRow): unknown {
    return {
      stateMachineArn: row.arn,
      name: row.name,
      status: 'ACTIVE',
      definition: row.definition,
      roleArn: row.role_arn,
      type: row.type,
      creationDate: seconds(row.created_ms),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
      revisionId: String(row.revision),
    };
  }

  private describeStateMachine(request: Request): unknown {
    return this.describeStateMachineRow(this.stateMachineRow(requiredString(request, 'stateMachineArn')));
  }

  private describeStateMachineForExecution(request: Request): unknown {
    const execution = this.executionRow(requiredString(request, 'executionArn'));
    const machine = this.engine.repo.stateMachine(execution.sm_arn);
    return {
      stateMachineArn: execution.sm_arn,
      name: execution.sm_name,
      definition: execution.definition,
      roleArn: execution.role_arn,
      updateDate: seconds(machine?.updated_ms ?? machine?.created_ms ?? execution.start_ms),
    };
  }

  private listStateMachines(request: Request): unknown {
    const size = pageSize(request, 100, 1000);
    const offset = pageOffset(request);
    const rows = this.engine.repo.stateMachinePage(size + 1, offset);
    const page = rows.slice(0, size);
    return {
      stateMachines: page.map((r) => ({
        stateMachineArn: r.arn,
        name: r.name,
        type: r.type,
        creationDate: seconds(r.created_ms),
      })),
      nextToken: nextPageToken(offset, size, page.length, rows.length > size),
    };
  }

  private deleteStateMachine(request: Request): unknown {
    const arn = requiredString(request, 'stateMachineArn');
    checkStateMachineArn(arn);
    // Running executions keep their own copy of the definition, so they finish as AWS lets them.
    this.engine.repo.deleteStateMachine(arn);
    return {};
  }

  private async startExecution(request: Request): Promise<unknown> {
    const smArn = requiredString(request, 'stateMachineArn');
    checkStateMachineArn(smArn);
    const name = optionalString(request, 'name') ?? randomUUID();
    if (!isValidResourceName(name)) throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    const input = optionalString(request, 'input') ?? '{}';
    checkJson(input, 'InvalidExecutionInput', 'Execution Input');
    this.stateMachineRow(smArn);
    const started = await this.engine.startExecutionNow({ stateMachineArn: smArn, name, input });
    return { executionArn: started.executionArn, startDate: seconds(started.startMs) };
  }

  private describeExecution(request: Request): unknown {
    const row = this.executionRow(requiredString(request, 'executionArn'));
    const out: Record<string, unknown> = {
      executionArn: row.arn,
      stateMachineArn: row.sm_arn,
      name: row.name,
      status: row.status,
      startDate: seconds(row.start_ms),
      stopDate: seconds(row.stop_ms),
      input: row.input,
      inputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
    if (row.output !== null) {
      out.output = row.output;
      out.outputDetails = { included: true };
    }
    if (row.error !== null) out.error = row.error;
    if (row.cause !== null) out.cause = row.cause;
    return out;
  }

  private async stopExecution(request: Request): Promise<unknown> {
    const arn = requiredString(request, 'executionArn');
    checkExecutionArn(arn);
    const stopMs = await this.engine.stopExecution(
      arn,
      optionalString(request, 'error'),
      optionalString(request, 'cause'),
    );
    return { stopDate: seconds(stopMs) };
  }

  private listExecutions(request: Request): unknown {
    const smArn = requiredString(request, 'stateMachineArn');
    checkStateMachineArn(smArn);
    const status = optionalString(request, 'statusFilter');
    const allowed = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
    if (status !== undefined && !allowed.includes(status))
      throw new SfnServiceError(
        'ValidationException',
        `Value '${status}' at 'statusFilter' is not one of ${allowed.join(', ')}`,
      );
    if (!this.engine.repo.isKnownStateMachine(smArn))
      throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${smArn}'`);
    const size = pageSize(request, 100, 1000);
    const offset = pageOffset(request);
    const rows = this.engine.repo.executionPage(smArn, status, size + 1, offset);
    const page = rows.slice(0, size);
    return {
      executions: page.map((r) => ({
        executionArn: r.arn,
        stateMachineArn: r.sm_arn,
        name: r.name,
        status: r.status,
        startDate: seconds(r.start_ms),
        stopDate: seconds(r.stop_ms),
      })),
      nextToken: nextPageToken(offset, size, page.length, rows.length > size),
    };
  }

  private getExecutionHistory(request: Request): unknown {
    const arn = requiredString(request, 'executionArn');
    this.executionRow(arn);
    const size = pageSize(request, 100, 1000);
    const offset = pageOffset(request);
    const rows = this.engine.repo.eventPage(arn, request.reverseOrder === true, size + 1, offset);
    const page = rows.slice(0, size);
    const includeData = request.includeExecutionData !== false;
    return {
      events: page.map((e) => {
        const details = e.details === null ? {} : (JSON.parse(e.details) as Record<string, Record<string, unknown>>);
        if (!includeData)
          for (const d of Object.values(details)) for (const k of ['input', 'output', 'parameters']) delete d[k];
        return { timestamp: seconds(e.ts_ms), type: e.type, id: e.id, previousEventId: e.id - 1, ...details };
      }),
      nextToken: nextPageToken(offset, size, page.length, rows.length > size),
    };
  }
}
