import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DynamoDBClient, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { runAsFunction } from '../local/runtime/function-credentials.ts';
import { localStateMachineArn } from '../local/runtime/local-aws-identity.ts';
import type { LocalClinic } from '../local/runtime/start-local-clinic.ts';
import { sfnClientFor, startTestClinic } from './support/local-clinic.ts';
import { stackRoles, withoutGrant } from './support/stack-grants.ts';

/**
 * The local runtime applies the CDK stack's roles: a grant taken out of the stack makes the very call it
 * allowed fail locally with AWS's AccessDenied, while the calls still granted go through. The functions'
 * SDK clients are used as the handlers use them (endpoints and credentials from the environment), under
 * the function's own identity.
 */
let clinic: LocalClinic;

beforeAll(async () => {
  let roles = await stackRoles();
  roles = withoutGrant(roles, 'function:staff-api', 'states:DescribeExecution');
  roles = withoutGrant(roles, 'function:send-reminder', 'ses:SendEmail');
  roles = withoutGrant(roles, 'function:record-progress', 'dynamodb:Query');
  roles = withoutGrant(roles, 'state-machine:person-action', 'lambda:InvokeFunction');
  clinic = await startTestClinic({ iam: { permissions: roles } });
});
afterAll(async () => {
  await clinic.stop();
});

const journeyExecution = 'arn:aws:states:us-east-1:000000000000:execution:care-journeys-journey:no-such-journey';
const email = () =>
  new SendEmailCommand({
    Source: 'care@example.org',
    Destination: { ToAddresses: ['p@example.org'] },
    Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
  });

async function failure(call: () => Promise<unknown>): Promise<{ name: string; message: string } | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
}

describe('IAM from the CDK stack, enforced locally', () => {
  it('the staff API without states:DescribeExecution is refused with AWS’s AccessDenied; with it, the call reaches the engine', async () => {
    const sfn = new SFNClient({});
    const denied = await runAsFunction('staff-api', () =>
      failure(() => sfn.send(new DescribeExecutionCommand({ executionArn: journeyExecution }))),
    );
    expect(denied?.name).toBe('AccessDeniedException');
    expect(denied?.message).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/[^ ]+ is not authorized to perform: states:DescribeExecution on resource: arn:aws:states:us-east-1:000000000000:execution:care-journeys-journey:no-such-journey because no identity-based policy allows the states:DescribeExecution action$/,
    );
    // the stack still grants StartExecution: that call is authorized and answered by the engine itself
    const started = await runAsFunction('staff-api', () =>
      failure(() =>
        sfn.send(
          new StartExecutionCommand({ stateMachineArn: localStateMachineArn('journey'), name: 'x', input: 'not json' }),
        ),
      ),
    );
    expect(started?.name).toBe('InvalidExecutionInput');
  });

  it('send-reminder without ses:SendEmail is refused by SES; request-action, still granted, sends', async () => {
    const ses = new SESClient({});
    const denied = await runAsFunction('send-reminder', () => failure(() => ses.send(email())));
    expect(denied?.name).toBe('AccessDenied');
    expect(denied?.message).toContain(
      'is not authorized to perform: ses:SendEmail on resource: arn:aws:ses:us-east-1:000000000000:identity/care@example.org',
    );
    expect(await runAsFunction('request-action', () => failure(() => ses.send(email())))).toBeUndefined();
  });

  it('a function whose role has no SES grant at all is refused, and the From address is part of the decision', async () => {
    const ses = new SESClient({});
    expect((await runAsFunction('schedule', () => failure(() => ses.send(email()))))?.name).toBe('AccessDenied');
    const spoofed = new SendEmailCommand({
      Source: 'someone@else.example',
      Destination: { ToAddresses: ['p@example.org'] },
      Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
    });
    expect((await runAsFunction('request-action', () => failure(() => ses.send(spoofed))))?.name).toBe('AccessDenied');
  });

  it('record-progress without dynamodb:Query is refused on the table’s index; screening, still granted, queries', async () => {
    const dynamodb = new DynamoDBClient({});
    const query = new QueryCommand({
      TableName: clinic.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'nobody' } },
    });
    const denied = await runAsFunction('record-progress', () => failure(() => dynamodb.send(query)));
    expect(denied?.name).toBe('AccessDeniedException');
    expect(denied?.message).toContain(
      `dynamodb:Query on resource: arn:aws:dynamodb:us-east-1:000000000000:table/${clinic.tableName}/index/GSI1`,
    );
    expect(await runAsFunction('screening', () => failure(() => dynamodb.send(query)))).toBeUndefined();
  });

  it('the stack’s own roles are as narrow as their code: request-action may complete a task but not fail one, record-progress may end one for a hold but not complete it, request-action may not query, schedule may check no condition', async () => {
    const sfn = new SFNClient({});
    // granted: the call reaches the engine, which refuses the made-up token
    expect(
      (
        await runAsFunction('request-action', () =>
          failure(() => sfn.send(new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' }))),
        )
      )?.name,
    ).toBe('InvalidToken');
    expect(
      (
        await runAsFunction('request-action', () =>
          failure(() => sfn.send(new SendTaskFailureCommand({ taskToken: 'no-such-token', error: 'PatientOnHold' }))),
        )
      )?.name,
    ).toBe('AccessDeniedException');
    expect(
      (
        await runAsFunction('record-progress', () =>
          failure(() => sfn.send(new SendTaskFailureCommand({ taskToken: 'no-such-token', error: 'PatientOnHold' }))),
        )
      )?.name,
    ).toBe('InvalidToken');
    expect(
      (
        await runAsFunction('record-progress', () =>
          failure(() => sfn.send(new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' }))),
        )
      )?.name,
    ).toBe('AccessDeniedException');

    const dynamodb = new DynamoDBClient({});
    const check = new TransactWriteItemsCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: clinic.tableName,
            Key: { PK: { S: 'PATIENT#nobody' }, SK: { S: 'JOURNEY' } },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
    });
    const denied = await runAsFunction('schedule', () => failure(() => dynamodb.send(check)));
    expect(denied?.name).toBe('AccessDeniedException');
    expect(denied?.message).toContain('dynamodb:ConditionCheckItem');
    expect(await runAsFunction('record-progress', () => failure(() => dynamodb.send(check)))).toBeUndefined();
    // request-action reaches every item by its key: it may query neither the table nor an index
    const query = new QueryCommand({
      TableName: clinic.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'PATIENT#nobody' } },
    });
    expect((await runAsFunction('request-action', () => failure(() => dynamodb.send(query))))?.name).toBe(
      'AccessDeniedException',
    );
    expect(await runAsFunction('screening', () => failure(() => dynamodb.send(query)))).toBeUndefined();
  });

  it('a state machine without lambda:InvokeFunction fails its task with the Lambda service’s AccessDenied, retried then final', async () => {
    const sfn = sfnClientFor(clinic);
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: localStateMachineArn('person-action'),
        name: 'no-invoke',
        input: JSON.stringify({ purpose: 'intake', patientId: 'p-1', journeyId: 'j-1', stepKey: 'intake' }),
      }),
    );
    await clinic.advanceClock({ advanceSeconds: 3600 });
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Lambda.AWSLambdaException');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const causes = (history.events ?? []).flatMap((event) => event.taskFailedEventDetails?.cause ?? []);
    expect(causes.length).toBeGreaterThan(1);
    expect(causes[0]).toContain(
      'is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:care-journeys-',
    );
  });
});
