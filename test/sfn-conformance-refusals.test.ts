/**
 * Issue 3: the engine "refuses at CreateStateMachine, with InvalidDefinition naming the field,
 * anything it does not run (JSONPath mode, distributed Map, an unknown resource...). It never
 * silently ignores a field." Every refusal here must name the offending field or value.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoke, machine, serviceError, startHarness, type SfnHarness } from './support/sfn-harness.ts';

let h: SfnHarness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function expectRefused(definition: object, named: string | RegExp): Promise<void> {
  const refused = await serviceError(h.createMachine(definition, 'refused'));
  expect(refused.name).toBe('InvalidDefinition');
  if (typeof named === 'string') expect(refused.message).toContain(named);
  else expect(refused.message).toMatch(named);
  const listed = await h.call<{ stateMachines: { name: string }[] }>('ListStateMachines', {});
  expect(listed.stateMachines.map((m) => m.name)).not.toContain('refused');
}

const pass = { Type: 'Pass', End: true };
const task = (resource: string): object =>
  machine('T', { T: { Type: 'Task', Resource: resource, Arguments: {}, End: true } });

describe('query language', () => {
  it('a definition without QueryLanguage is JSONPath ("the state machine defaults to JSONPath") and is refused', async () => {
    await expectRefused({ StartAt: 'P', States: { P: pass } }, 'QueryLanguage');
  });

  it('QueryLanguage JSONPath at the top level is refused when a state inherits it, naming that state', async () => {
    await expectRefused({ QueryLanguage: 'JSONPath', StartAt: 'P', States: { P: pass } }, /States\/P.*QueryLanguage/);
  });

  it('a single state switching to JSONPath is refused', async () => {
    await expectRefused(machine('P', { P: { ...pass, QueryLanguage: 'JSONPath' } }), 'JSONPath');
  });
});

describe('JSONPath-only fields', () => {
  const cases: [string, object][] = [
    ['InputPath', { Type: 'Pass', InputPath: '$.a', End: true }],
    ['OutputPath', { Type: 'Pass', OutputPath: '$.a', End: true }],
    ['ResultPath', { Type: 'Pass', ResultPath: '$.a', End: true }],
    ['Parameters', { Type: 'Pass', Parameters: { 'a.$': '$.a' }, End: true }],
    ['Result', { Type: 'Pass', Result: { a: 1 }, End: true }],
    [
      'ResultSelector',
      {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'echo' },
        ResultSelector: { 'a.$': '$.Payload' },
        End: true,
      },
    ],
    [
      'TimeoutSecondsPath',
      {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'echo' },
        TimeoutSecondsPath: '$.t',
        End: true,
      },
    ],
    [
      'HeartbeatSecondsPath',
      {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'echo' },
        HeartbeatSecondsPath: '$.t',
        End: true,
      },
    ],
    ['SecondsPath', { Type: 'Wait', SecondsPath: '$.s', End: true }],
    ['TimestampPath', { Type: 'Wait', TimestampPath: '$.t', End: true }],
    [
      'ItemsPath',
      { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'I', States: { I: pass } }, End: true },
    ],
  ];
  for (const [field, state] of cases) {
    it(`"${field}" is a JSONPath field and is refused, named`, async () => {
      await expectRefused(machine('S', { S: state }), field);
    });
  }

  it('a JSONPath Choice rule ("Variable" with a comparison) is refused, named', async () => {
    await expectRefused(
      machine('C', { C: { Type: 'Choice', Choices: [{ Variable: '$.a', StringEquals: 'x', Next: 'P' }] }, P: pass }),
      'Variable',
    );
  });
});

describe('distributed Map', () => {
  it('"Mode": "DISTRIBUTED" is refused, named', async () => {
    await expectRefused(
      machine('M', {
        M: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'I',
            States: { I: pass },
          },
          End: true,
        },
      }),
      // naming the mode or a field only a distributed Map has
      /DISTRIBUTED|Mode|ExecutionType/,
    );
  });

  for (const [field, value] of [
    ['ItemReader', { Resource: 'arn:aws:states:::s3:getObject', Arguments: { Bucket: 'b', Key: 'k' } }],
    ['ItemBatcher', { MaxItemsPerBatch: 10 }],
    ['ResultWriter', { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: 'b', Prefix: 'p' } }],
    ['ToleratedFailurePercentage', 5],
  ] as const) {
    it(`the distributed-Map field "${field}" is refused, named`, async () => {
      await expectRefused(
        machine('M', {
          M: {
            Type: 'Map',
            Items: [1],
            [field]: value,
            ItemProcessor: { StartAt: 'I', States: { I: pass } },
            End: true,
          },
        }),
        field,
      );
    });
  }
});

describe('resources', () => {
  for (const resource of [
    'arn:aws:states:::dynamodb:putItem',
    'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
    'arn:aws:states:::http:invoke',
    'arn:aws:states:us-east-1:123456789012:activity:review',
  ]) {
    it(`an unknown resource is refused, named: ${resource}`, async () => {
      await expectRefused(task(resource), resource);
    });
  }

  it('the resources the engine runs are accepted', async () => {
    for (const resource of [
      'arn:aws:states:::lambda:invoke',
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
      'arn:aws:states:::states:startExecution',
      'arn:aws:states:::states:startExecution.sync:2',
    ]) {
      await h.createMachine(task(resource));
    }
  });
});

describe('unknown and invalid fields', () => {
  it('an unknown field on a state is refused, named', async () => {
    await expectRefused(machine('P', { P: { ...pass, Colour: 'blue' } }), 'Colour');
  });

  it('an unknown top-level field is refused, named', async () => {
    await expectRefused(machine('P', { P: pass }, { Bogus: true }), 'Bogus');
  });

  it('a misspelt retrier field is refused, named', async () => {
    await expectRefused(
      machine('T', { T: invoke('echo', {}, { Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempt: 3 }], End: true }) }),
      'MaxAttempt',
    );
  });

  it('a Task field the engine does not run ("Credentials", cross-account) is refused, named', async () => {
    await expectRefused(
      machine('T', {
        T: invoke('echo', {}, { Credentials: { RoleArn: 'arn:aws:iam::111111111111:role/x' }, End: true }),
      }),
      'Credentials',
    );
  });

  it('Comment fields anywhere are accepted, not refused', async () => {
    await h.createMachine(
      machine('P', { P: { ...pass, Comment: 'explains the step' } }, { Comment: 'explains the machine' }),
    );
  });

  it('"States.ALL ... must appear in the last retrier" is enforced', async () => {
    await expectRefused(
      machine('T', {
        T: invoke('echo', {}, { Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Transient'] }], End: true }),
      }),
      'States.ALL',
    );
  });

  it('"States.ALL ... must appear in the last catcher" is enforced', async () => {
    await expectRefused(
      machine('T', {
        T: invoke(
          'echo',
          {},
          {
            Catch: [
              { ErrorEquals: ['States.ALL'], Next: 'P' },
              { ErrorEquals: ['Other'], Next: 'P' },
            ],
            End: true,
          },
        ),
        P: pass,
      }),
      'States.ALL',
    );
  });

  it('"States.ALL ... must appear alone in the ErrorEquals array" is enforced', async () => {
    await expectRefused(
      machine('T', {
        T: invoke('echo', {}, { Catch: [{ ErrorEquals: ['States.ALL', 'Other'], Next: 'P' }], End: true }),
        P: pass,
      }),
      'States.ALL',
    );
  });

  it('a transition to a state that does not exist is refused, named', async () => {
    await expectRefused(machine('P', { P: { Type: 'Pass', Next: 'Nowhere' } }), 'Nowhere');
  });

  it('a JSONata expression that does not parse is refused at creation', async () => {
    const refused = await serviceError(
      h.createMachine(machine('P', { P: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } })),
    );
    expect(refused.name).toBe('InvalidDefinition');
  });

  it('a definition that is not JSON is refused', async () => {
    const refused = await serviceError(
      h.call('CreateStateMachine', { name: 'x', definition: '{not json', roleArn: 'arn:aws:iam::123456789012:role/r' }),
    );
    expect(refused.name).toBe('InvalidDefinition');
  });
});
