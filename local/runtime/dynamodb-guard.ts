import { localTableArn, localTableIndexArn } from '../iam/local-arns.ts';
import type { AccessCheck } from '../iam/access-check.ts';
import type { FaultInjection } from './fault-injection.ts';
import { functionIdFromAuthorization } from './function-credentials.ts';
import type { FrontAnswer, FrontGuard } from './guarded-front.ts';

/**
 * What DynamoDB authorizes a request against: one action per table or index it touches. A transaction
 * has no IAM action of its own: each item is authorized as the single-item action it performs.
 */
export function dynamoDbAccessRequests(operation: string, body: unknown): { action: string; resource: string }[] {
  const request = (body ?? {}) as Record<string, unknown>;
  const table = (name: unknown): string => localTableArn(String(name));
  switch (operation) {
    case 'Query':
    case 'Scan':
      return [
        {
          action: `dynamodb:${operation}`,
          resource:
            typeof request.IndexName === 'string'
              ? localTableIndexArn(String(request.TableName), request.IndexName)
              : table(request.TableName),
        },
      ];
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((request.RequestItems as Record<string, unknown> | undefined) ?? {}).map((name) => ({
        action: `dynamodb:${operation}`,
        resource: table(name),
      }));
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return ((request.TransactItems as Record<string, { TableName?: string }>[] | undefined) ?? []).flatMap((item) =>
        Object.entries(item).map(([kind, inner]) => ({
          action: `dynamodb:${transactionItemActions[kind] ?? kind}`,
          resource: table(inner.TableName),
        })),
      );
    default:
      return [{ action: `dynamodb:${operation}`, resource: table(request.TableName ?? '*') }];
  }
}

const transactionItemActions: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

const json = 'application/x-amz-json-1.0';
const answer = (status: number, type: string, message: string): FrontAnswer => ({
  status,
  headers: { 'content-type': json, 'x-amzn-requestid': crypto.randomUUID() },
  body: JSON.stringify({ __type: type, message }),
});

export function dynamoDbGuard(options: { readonly access?: AccessCheck; readonly faults: FaultInjection }): FrontGuard {
  return async (request) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const functionId = functionIdFromAuthorization(request.headers.authorization);
    const fault = options.faults.take({ service: 'dynamodb', operation, functionId });
    if (fault?.service === 'dynamodb') {
      return fault.kind === 'throttle'
        ? answer(
            400,
            'com.amazonaws.dynamodb.v20120810#ThrottlingException',
            'Throughput exceeds the current capacity of your table or index. (local fault injection)',
          )
        : answer(
            500,
            'com.amazonaws.dynamodb.v20120810#InternalServerError',
            'Internal server error (local fault injection)',
          );
    }
    if (options.access === undefined || functionId === undefined) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return undefined;
    }
    for (const { action, resource } of dynamoDbAccessRequests(operation, body)) {
      const decision = await options.access.decide({ principal: `function:${functionId}`, action, resource });
      if (!decision.allowed) return answer(400, 'com.amazon.coral.service#AccessDeniedException', decision.message);
    }
    return undefined;
  };
}
