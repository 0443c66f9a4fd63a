import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionArnPlaceholder, functionCatalogue, type FunctionSpec } from '../functions/catalogue.ts';
import { parseClinicConfig } from '../functions/platform/clinic-config.ts';
import { environmentSchema } from '../functions/platform/environment.ts';
import { workflowHandler } from '../functions/platform/workflow-handler.ts';
import { PatientOnHold } from '../functions/patient/journey-errors.ts';
import { holdStopMetric } from '../lib/operations-alarms.ts';
import { linesLoggedBy } from './support/captured-logs.ts';
import { INDEXES, TABLE_KEY, TTL_ATTRIBUTE } from '../functions/store/table-design.ts';
import {
  placeholdersIn,
  readDefinitionTemplate,
  fillPlaceholders,
  stateMachineArnPlaceholder,
  stateMachineCatalogue,
} from '../statemachines/definitions.ts';
import { createCareJourneysApp, stackName } from '../lib/care-journeys-app.ts';
import type { CareJourneysStack } from '../lib/care-journeys-stack.ts';
import { EmailSending, mailFromSubdomain } from '../lib/email-sending.ts';
import { TelemetryEncryption } from '../lib/telemetry-encryption.ts';

type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
type Statement = { Effect: string; Action: string | string[]; Resource?: unknown };

const clinic = parseClinicConfig(
  JSON.parse(readFileSync(new URL('../clinic.config.example.json', import.meta.url), 'utf8')),
);

let outdir: string;
let stack: CareJourneysStack;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  // One synth for the whole file: bundling every function with esbuild is the slow part.
  outdir = mkdtempSync(join(tmpdir(), 'care-journeys-stack-'));
  stack = createCareJourneysApp({ clinic, nag: false, outdir }).stack;
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

function ofType(type: string): Array<[string, Resource]> {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

function only(type: string): [string, Resource] {
  const found = ofType(type);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0] as [string, Resource];
}

function functionLogicalId(functionId: string): string {
  return stack.getLogicalId(stack.functions.get(functionId).node.defaultChild as CfnFunction);
}

function functionProps(functionId: string): Record<string, unknown> {
  const props = resources[functionLogicalId(functionId)]?.Properties;
  expect(props, `function ${functionId}`).toBeDefined();
  return props as Record<string, unknown>;
}

function logicalIdOf(ref: unknown): string {
  const value = ref as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = value.Ref ?? value['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error(`not a reference: ${JSON.stringify(ref)}`);
  return id;
}

/** Turns CloudFormation intrinsics into readable markers, so a template value compares as a plain string. */
function resolveToString(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if ('Ref' in intrinsic) return `<Ref ${String(intrinsic.Ref)}>`;
  if ('Fn::GetAtt' in intrinsic) return `<GetAtt ${(intrinsic['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in intrinsic) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveToString).join(separator);
  }
  throw new Error(`unexpected intrinsic in a definition: ${JSON.stringify(value)}`);
}

function stateMachineLogicalId(machineId: string): string {
  const machine = stack.workflows.byId.get(machineId);
  if (machine === undefined) throw new Error(`no state machine ${machineId}`);
  return stack.getLogicalId(machine.node.defaultChild as never);
}

function statementsOf(document: unknown): Statement[] {
  const statements = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement ?? [];
  return Array.isArray(statements) ? statements : [statements];
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Every statement of every identity policy in the stack, with the policy's logical id. */
function identityStatements(): Array<{ policy: string; statement: Statement }> {
  const found: Array<{ policy: string; statement: Statement }> = [];
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    const documents =
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
        ? [props.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? ((props.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []).map((p) => p.PolicyDocument)
          : [];
    for (const document of documents)
      for (const statement of statementsOf(document)) found.push({ policy: id, statement });
  }
  return found;
}

/** The statements of the managed policy attached to a role. */
function roleStatements(roleLogicalId: string): Statement[] {
  return ofType('AWS::IAM::ManagedPolicy')
    .filter(([, policy]) =>
      ((policy.Properties?.Roles as unknown[]) ?? []).some((role) => logicalIdOf(role) === roleLogicalId),
    )
    .flatMap(([, policy]) => statementsOf(policy.Properties?.PolicyDocument));
}

describe('the table', () => {
  it('is encrypted with a customer-managed KMS key that rotates', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    const sse = table.Properties?.SSESpecification as { SSEEnabled: boolean; SSEType: string; KMSMasterKeyId: unknown };
    expect(sse.SSEEnabled).toBe(true);
    expect(sse.SSEType).toBe('KMS');
    const key = resources[logicalIdOf(sse.KMSMasterKeyId)];
    expect(key?.Type).toBe('AWS::KMS::Key');
    expect(key?.Properties?.EnableKeyRotation).toBe(true);
  });

  it('has point-in-time recovery, deletion protection and TTL on the table design attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('and its key are retained when the stack is deleted', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const sse = table.Properties?.SSESpecification as { KMSMasterKeyId: unknown };
    expect(resources[logicalIdOf(sse.KMSMasterKeyId)]?.DeletionPolicy).toBe('Retain');
  });

  it('has the primary key and the global secondary indexes of table-design.ts', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    expect(table.Properties?.KeySchema).toEqual([
      { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
    ]);
    const indexes = table.Properties?.GlobalSecondaryIndexes as Array<{ IndexName: string; KeySchema: unknown }>;
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(
      Object.values(INDEXES)
        .map((index) => index.indexName)
        .sort(),
    );
    for (const index of Object.values(INDEXES)) {
      expect(indexes.find((found) => found.IndexName === index.indexName)?.KeySchema).toEqual([
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ]);
    }
  });
});

describe('the functions', () => {
  const catalogue = functionCatalogue as readonly FunctionSpec[];

  it('are exactly the catalogue entries', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(catalogue.length);
  });

  it.each(catalogue.map((spec) => [spec.id]))('%s runs Node.js 24 on arm64 with active X-Ray tracing', (id) => {
    const props = functionProps(id);
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it.each(catalogue.map((spec) => [spec.id]))(
    '%s logs to its own encrypted log group with a retention period',
    (id) => {
      const loggingConfig = functionProps(id).LoggingConfig as { LogGroup: unknown };
      const logGroup = resources[logicalIdOf(loggingConfig.LogGroup)];
      expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup?.Properties?.RetentionInDays).toBeGreaterThan(0);
      expect(logGroup?.Properties?.KmsKeyId).toBeDefined();
    },
  );

  // Every caller invokes synchronously (Step Functions tasks, API Gateway): a dead-letter queue, which only
  // asynchronous invocations reach, could never fill. Lost work shows as a failed execution (alarmed, and
  // redriven) or a 5xx answer (alarmed).
  it.each(catalogue.map((spec) => [spec.id]))(
    '%s has no dead-letter queue, and the memory and timeout of its catalogue entry',
    (id) => {
      const spec = catalogue.find((entry) => entry.id === id) as FunctionSpec;
      const props = functionProps(id);
      expect(props.DeadLetterConfig).toBeUndefined();
      expect(props.MemorySize).toBe(spec.memoryMb);
      expect(props.Timeout).toBe(spec.timeoutSeconds);
    },
  );

  it.each(catalogue.map((spec) => [spec.id]))('%s gets every required environment variable of environment.ts', (id) => {
    const variables = (functionProps(id).Environment as { Variables: Record<string, unknown> }).Variables;
    const required = Object.entries(environmentSchema.shape)
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([name]) => name);
    for (const name of required) expect(variables, name).toHaveProperty(name);
    expect(JSON.parse(variables.CLINIC_CONFIG as string)).toEqual(clinic);
    expect(logicalIdOf(variables.TABLE_NAME)).toBe(only('AWS::DynamoDB::Table')[0]);
  });

  it('reached from the internet have a reserved concurrency', () => {
    for (const spec of catalogue.filter((entry) => entry.trigger === 'http')) {
      expect(functionProps(spec.id).ReservedConcurrentExecutions, spec.id).toBeGreaterThan(0);
    }
  });
});

describe('the permissions', () => {
  it('never allow a wildcard action in any IAM policy', () => {
    const statements = identityStatements();
    expect(statements.length).toBeGreaterThan(0);
    const wildcards = statements.filter(
      ({ statement }) => statement.Effect === 'Allow' && actionsOf(statement).some((action) => action.includes('*')),
    );
    expect(wildcards).toEqual([]);
  });

  it('let a function without email access send no email, and one without workflow access touch no state machine', () => {
    for (const spec of functionCatalogue as readonly FunctionSpec[]) {
      const roleId = logicalIdOf(functionProps(spec.id).Role);
      const actions = roleStatements(roleId).flatMap(actionsOf);
      expect(
        actions.some((action) => action.startsWith('ses:')),
        spec.id,
      ).toBe(spec.access.email);
      expect(
        actions.some((action) => action.startsWith('states:')),
        spec.id,
      ).toBe(spec.access.workflows !== 'none');
      expect(actions.includes('dynamodb:PutItem'), spec.id).toBe(spec.access.table.includes('PutItem'));
    }
  });

  it.each(stateMachineCatalogue.map((spec) => [spec.id]))(
    'let the %s state machine invoke exactly the functions its file names',
    (id) => {
      const roleId = logicalIdOf(resources[stateMachineLogicalId(id)]?.Properties?.RoleArn);
      const invoked = roleStatements(roleId)
        .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'))
        .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]))
        .map(logicalIdOf)
        .sort();
      const named = placeholdersIn(readDefinitionTemplate(id))
        .flatMap((placeholder) => functionCatalogue.filter((spec) => functionArnPlaceholder(spec.id) === placeholder))
        .map((spec) => functionLogicalId(spec.id))
        .sort();
      expect(invoked).toEqual(named);
    },
  );

  it('let a state machine describe and stop only the children it waits for (.sync), not one it only starts', () => {
    const watched = (id: string): string[] => {
      const roleId = logicalIdOf(resources[stateMachineLogicalId(id)]?.Properties?.RoleArn);
      return roleStatements(roleId)
        .filter(
          (statement) =>
            actionsOf(statement).includes('states:DescribeExecution') &&
            actionsOf(statement).includes('states:StopExecution'),
        )
        .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]))
        .map(
          (resource) =>
            new RegExp(`:execution:${stackName}-(.+):\\*$`).exec(resolveToString(resource))?.[1] ??
            resolveToString(resource),
        )
        .sort();
    };
    // the journey waits for its steps and sessions, and only starts the first refill cycle
    expect(watched('journey')).toEqual(['induction-session', 'person-action']);
    // a refill cycle waits for its steps and its maintenance doses' sessions, and only starts the next cycle
    expect(watched('refill-cycle')).toEqual(['induction-session', 'person-action']);
    expect(watched('person-action')).toEqual([]);
  });
});

describe('the state machines', () => {
  it.each(stateMachineCatalogue.map((spec) => [spec.id]))('%s runs its ASL file with the placeholders filled', (id) => {
    const props = resources[stateMachineLogicalId(id)]?.Properties as Record<string, unknown>;
    const deployed = JSON.parse(resolveToString(props.DefinitionString)) as unknown;
    const values = Object.fromEntries([
      ...functionCatalogue.map((spec) => [
        functionArnPlaceholder(spec.id),
        `<GetAtt ${functionLogicalId(spec.id)}.Arn>`,
      ]),
      ...stateMachineCatalogue.map((spec) => [
        stateMachineArnPlaceholder(spec.id),
        `arn:<Ref AWS::Partition>:states:<Ref AWS::Region>:<Ref AWS::AccountId>:stateMachine:${stackName}-${spec.id}`,
      ]),
    ]);
    expect(deployed).toEqual(JSON.parse(fillPlaceholders(readDefinitionTemplate(id), values)));
  });

  it.each(stateMachineCatalogue.map((spec) => [spec.id]))(
    '%s is a traced Standard workflow logging ALL to an encrypted log group',
    (id) => {
      const props = resources[stateMachineLogicalId(id)]?.Properties as Record<string, unknown>;
      expect(props.StateMachineType).toBe('STANDARD');
      expect(props.TracingConfiguration).toEqual({ Enabled: true });
      const logging = props.LoggingConfiguration as {
        Level: string;
        Destinations: Array<{ CloudWatchLogsLogGroup: { LogGroupArn: unknown } }>;
      };
      expect(logging.Level).toBe('ALL');
      expect((props.LoggingConfiguration as { IncludeExecutionData: boolean }).IncludeExecutionData).toBe(true);
      const logGroup = resources[logicalIdOf(logging.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn)];
      expect(logGroup?.Properties?.KmsKeyId).toBeDefined();
      expect(logGroup?.Properties?.RetentionInDays).toBeGreaterThan(0);
    },
  );
});

describe('the execution data key', () => {
  type KmsStatement = Statement & {
    Condition?: Record<string, Record<string, unknown>>;
    Principal?: { Service?: string | string[] };
  };
  const machineArn = (id: string) =>
    `arn:<Ref AWS::Partition>:states:<Ref AWS::Region>:<Ref AWS::AccountId>:stateMachine:${stackName}-${id}`;
  const keyId = () => stack.getLogicalId(stack.workflowEncryption.key.node.defaultChild as never);
  const valuesOf = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).map(resolveToString);
  const onKey = (statement: Statement) =>
    (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).some(
      (r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [keyId(), 'Arn'] }),
    );
  /** The state machines whose execution data a role may have encrypted or decrypted for it, by action. */
  function executionDataGrants(roleLogicalId: string): { generate: string[]; decrypt: string[] } {
    const grants = { generate: [] as string[], decrypt: [] as string[] };
    for (const statement of roleStatements(roleLogicalId) as KmsStatement[]) {
      if (statement.Effect !== 'Allow' || !onKey(statement)) continue;
      const context = statement.Condition?.['StringEquals']?.['kms:EncryptionContext:aws:states:stateMachineArn'];
      if (context === undefined) continue;
      if (actionsOf(statement).includes('kms:GenerateDataKey')) grants.generate.push(...valuesOf(context));
      if (actionsOf(statement).includes('kms:Decrypt')) grants.decrypt.push(...valuesOf(context));
    }
    return grants;
  }
  const childrenOf = (id: string) =>
    stateMachineCatalogue
      .filter((spec) => placeholdersIn(readDefinitionTemplate(id)).includes(stateMachineArnPlaceholder(spec.id)))
      .map((spec) => spec.id);

  it.each(stateMachineCatalogue.map((spec) => [spec.id]))(
    '%s encrypts its definition and execution history with a customer-managed key that rotates',
    (id) => {
      const encryption = resources[stateMachineLogicalId(id)]?.Properties?.EncryptionConfiguration as {
        Type: string;
        KmsKeyId: unknown;
      };
      expect(encryption.Type).toBe('CUSTOMER_MANAGED_KMS_KEY');
      expect(resolveToString(encryption.KmsKeyId)).toBe(`<GetAtt ${keyId()}.Arn>`);
      expect(resources[keyId()]?.Properties?.EnableKeyRotation).toBe(true);
    },
  );

  it.each(stateMachineCatalogue.map((spec) => [spec.id]))(
    "%s's role may use the key for its own executions and for every child it starts, and no other",
    (id) => {
      const roleId = logicalIdOf(resources[stateMachineLogicalId(id)]?.Properties?.RoleArn);
      const grants = executionDataGrants(roleId);
      const expected = [...new Set([id, ...childrenOf(id)])].map(machineArn).sort();
      expect([...new Set(grants.generate)].sort()).toEqual(expected);
      expect([...new Set(grants.decrypt)].sort()).toEqual(expected);
    },
  );

  it.each(stateMachineCatalogue.map((spec) => [spec.id]))(
    "%s's logs can be delivered: the role makes data keys for log delivery, which may decrypt them",
    (id) => {
      const roleId = logicalIdOf(resources[stateMachineLogicalId(id)]?.Properties?.RoleArn);
      const forLogs = (roleStatements(roleId) as KmsStatement[]).filter(
        (statement) =>
          onKey(statement) && statement.Condition?.['StringEquals']?.['kms:EncryptionContext:SourceArn'] !== undefined,
      );
      expect(forLogs.flatMap(actionsOf)).toContain('kms:GenerateDataKey');
      expect(resolveToString(forLogs[0]?.Condition?.['StringEquals']?.['kms:EncryptionContext:SourceArn'])).toMatch(
        /^arn:<Ref AWS::Partition>:logs:<Ref AWS::Region>:<Ref AWS::AccountId>:\*$/,
      );
      const keyPolicy = statementsOf(resources[keyId()]?.Properties?.KeyPolicy) as KmsStatement[];
      const delivery = keyPolicy.filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          [statement.Principal?.Service ?? []].flat().includes('delivery.logs.amazonaws.com'),
      );
      expect(delivery.flatMap(actionsOf).some((action) => action === 'kms:Decrypt' || action === 'kms:Decrypt*')).toBe(
        true,
      );
    },
  );

  it.each((functionCatalogue as readonly FunctionSpec[]).map((spec) => [spec.id, spec.access.workflows]))(
    '%s (workflow access %s) may have Step Functions use the key exactly when it starts executions or completes tasks',
    (id) => {
      const spec = (functionCatalogue as readonly FunctionSpec[]).find((entry) => entry.id === id) as FunctionSpec;
      const roleId = logicalIdOf(functionProps(id).Role);
      const grants = executionDataGrants(roleId);
      const expected =
        spec.access.workflows === 'none' ? [] : stateMachineCatalogue.map((machine) => machineArn(machine.id)).sort();
      expect([...new Set(grants.generate)].sort()).toEqual(expected);
      expect([...new Set(grants.decrypt)].sort()).toEqual(expected);
      const viaService = (roleStatements(roleId) as KmsStatement[])
        .filter(onKey)
        .map((statement) => resolveToString(statement.Condition?.['StringEquals']?.['kms:ViaService']));
      for (const via of viaService) expect(via).toBe('states.<Ref AWS::Region>.amazonaws.com');
      if (spec.access.workflows !== 'none') expect(viaService.length).toBeGreaterThan(0);
    },
  );

  it('lets the staff API start executions and ask whether one is still running', () => {
    const actions = roleStatements(logicalIdOf(functionProps('staff-api').Role)).flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution']));
  });

  it('is not the key of the table or of the telemetry', () => {
    const tableKey = logicalIdOf(
      (only('AWS::DynamoDB::Table')[1].Properties?.SSESpecification as { KMSMasterKeyId: unknown }).KMSMasterKeyId,
    );
    const telemetryKey = stack.getLogicalId(stack.telemetry.key.node.defaultChild as never);
    expect(new Set([keyId(), tableKey, telemetryKey]).size).toBe(3);
  });
});

describe('the links API', () => {
  it('throttles every route of its stage', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties?.DefaultRouteSettings as {
      ThrottlingRateLimit: number;
      ThrottlingBurstLimit: number;
    };
    expect(settings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(settings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(settings.ThrottlingRateLimit);
  });

  it('writes access logs without the link path, which carries the token', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    const accessLog = stage.Properties?.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(resources[logicalIdOf(accessLog.DestinationArn)]?.Type).toBe('AWS::Logs::LogGroup');
    expect(accessLog.Format).not.toContain('$context.path');
  });

  it('serves every catalogue route, with IAM authorisation on the staff routes only', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties as { RouteKey: string; AuthorizationType?: string },
    );
    const expected = (functionCatalogue as readonly FunctionSpec[]).flatMap((spec) => spec.routes ?? []);
    expect(routes.map((route) => route.RouteKey).sort()).toEqual([...expected].sort());
    for (const route of routes) {
      expect(route.AuthorizationType ?? 'NONE', route.RouteKey).toBe(
        route.RouteKey.includes(' /staff/') ? 'AWS_IAM' : 'NONE',
      );
    }
  });
});

describe('the email', () => {
  it("is sent from the clinic's domain, signed with Easy DKIM and with the clinic's own MAIL FROM domain", () => {
    expect(clinic.senderDomain).toBeDefined();
    const [, identity] = only('AWS::SES::EmailIdentity');
    expect(identity.Properties).toMatchObject({
      EmailIdentity: clinic.senderDomain,
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      MailFromAttributes: { MailFromDomain: `${mailFromSubdomain}.${clinic.senderDomain}` },
    });
    expect(clinic.senderEmail.endsWith(`@${clinic.senderDomain}`)).toBe(true);
  });

  it('outputs the three DKIM CNAME records for the clinic to add to its DNS', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
    const dkim = [1, 2, 3].map((n) => outputs[`EmailDkimRecord${n}`]);
    const [identityId] = only('AWS::SES::EmailIdentity');
    dkim.forEach((output, index) => {
      expect(resolveToString(output?.Value)).toBe(
        `<GetAtt ${identityId}.DkimDNSTokenName${index + 1}> CNAME <GetAtt ${identityId}.DkimDNSTokenValue${index + 1}>`,
      );
    });
  });

  it('verifies only the sender address when the clinic gives no domain, and warns at synth', () => {
    const bare = new Stack(new App(), 'AddressOnly');
    const withoutDomain = new EmailSending(bare, 'Email', {
      senderEmail: 'care@example.org',
      telemetry: new TelemetryEncryption(bare, 'Telemetry'),
    });
    const bareTemplate = Template.fromStack(bare);
    bareTemplate.resourceCountIs('AWS::SES::EmailIdentity', 1);
    bareTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'care@example.org',
      MailFromAttributes: Match.absent(),
    });
    Annotations.fromStack(bare).hasWarning(`/${withoutDomain.node.path}`, Match.stringLikeRegexp('no senderDomain'));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no senderDomain'))).toEqual([]);
  });

  it('goes through a configuration set that requires TLS and reports bounces and complaints to an encrypted topic', () => {
    const [setId, configurationSet] = only('AWS::SES::ConfigurationSet');
    expect((configurationSet.Properties?.DeliveryOptions as { TlsPolicy: string }).TlsPolicy).toBe('REQUIRE');
    const [, destination] = only('AWS::SES::ConfigurationSetEventDestination');
    expect(logicalIdOf(destination.Properties?.ConfigurationSetName)).toBe(setId);
    const eventDestination = destination.Properties?.EventDestination as {
      MatchingEventTypes: string[];
      SnsDestination: { TopicARN: unknown };
    };
    expect(eventDestination.MatchingEventTypes).toEqual(expect.arrayContaining(['bounce', 'complaint']));
    expect(resources[logicalIdOf(eventDestination.SnsDestination.TopicARN)]?.Properties?.KmsMasterKeyId).toBeDefined();
  });
});

type MetricQuery = {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: {
    Period: number;
    Metric: { Namespace: string; MetricName: string; Dimensions?: Array<{ Name: string; Value: unknown }> };
  };
};
type MetricTransformation = {
  MetricNamespace: string;
  MetricName: string;
  MetricValue: string;
  Dimensions?: Array<{ Key: string; Value: string }>;
};

/** The one pattern form the stack uses, `{ $.field = "value" }`, applied to a JSON log line. */
function matchesEqualityPattern(pattern: string, line: Record<string, unknown>): boolean {
  const form = /^\{ \$\.(\w+) = "(.*)" \}$/.exec(pattern);
  if (form === null) throw new Error(`not an equality pattern: ${pattern}`);
  return line[form[1] as string] === form[2];
}

/** Runs a workflow handler to its failure and answers the JSON lines the logger wrote meanwhile. */
async function failureLinesOf(
  handler: (event: unknown, context: Context) => Promise<unknown>,
): Promise<Array<Record<string, unknown>>> {
  return linesLoggedBy(() => expect(handler({}, {} as Context)).rejects.toThrow());
}

describe('the alarms', () => {
  function alarms(): Array<Record<string, unknown>> {
    return ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties as Record<string, unknown>);
  }
  function dimensionRefs(alarm: Record<string, unknown>): string[] {
    return ((alarm.Dimensions as Array<{ Value: unknown }> | undefined) ?? []).map((dimension) =>
      logicalIdOf(dimension.Value),
    );
  }
  function logGroupOf(functionLogicalId: string): string {
    const logging = resources[functionLogicalId]?.Properties?.LoggingConfig as { LogGroup: unknown };
    return logicalIdOf(logging.LogGroup);
  }
  function errorsAlarmOf(id: string): Record<string, unknown> {
    const fn = functionLogicalId(id);
    const found = alarms().filter((alarm) =>
      (alarm.Metrics as MetricQuery[] | undefined)?.some(
        (query) =>
          query.MetricStat?.Metric.MetricName === 'Errors' &&
          query.MetricStat.Metric.Dimensions?.some((d) => logicalIdOf(d.Value) === fn),
      ),
    );
    expect(found, `one errors alarm for ${id}`).toHaveLength(1);
    return found[0] as Record<string, unknown>;
  }
  function holdStopMetricOf(id: string): { Namespace: string; MetricName: string } {
    const fn = functionLogicalId(id);
    const [, filter] =
      ofType('AWS::Logs::MetricFilter').find(
        ([, resource]) => logicalIdOf(resource.Properties?.LogGroupName) === logGroupOf(fn),
      ) ?? [];
    const transformation = (filter?.Properties?.MetricTransformations as MetricTransformation[] | undefined)?.[0];
    expect(transformation, `a hold-stop metric filter on the log group of ${id}`).toBeDefined();
    return { Namespace: transformation?.MetricNamespace ?? '', MetricName: transformation?.MetricName ?? '' };
  }

  it('all notify the ops topic, which emails the ops address', () => {
    const [topicId] = ofType('AWS::SNS::Subscription')
      .filter(([, subscription]) => subscription.Properties?.Endpoint === clinic.opsAlertEmail)
      .map(([, subscription]) => logicalIdOf(subscription.Properties?.TopicArn));
    expect(topicId).toBeDefined();
    for (const alarm of alarms()) expect((alarm.AlarmActions as unknown[]).map(logicalIdOf)).toEqual([topicId]);
  });

  it.each(stateMachineCatalogue.map((spec) => [spec.id]))(
    'watch failed, timed-out and aborted executions of %s',
    (id) => {
      const machine = stateMachineLogicalId(id);
      const watched = alarms()
        .filter((alarm) => alarm.Namespace === 'AWS/States' && dimensionRefs(alarm).includes(machine))
        .map((alarm) => alarm.MetricName);
      expect(watched.sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    },
  );

  it.each(functionCatalogue.map((spec) => [spec.id]))('watch throttles of %s', (id) => {
    const fn = functionLogicalId(id);
    const watched = alarms()
      .filter((alarm) => alarm.Namespace === 'AWS/Lambda' && dimensionRefs(alarm).includes(fn))
      .map((alarm) => alarm.MetricName);
    expect(watched).toEqual(['Throttles']);
  });

  it.each(functionCatalogue.map((spec) => [spec.id]))(
    'watch errors of %s, less the tasks a clinical hold stopped',
    (id) => {
      const alarm = errorsAlarmOf(id);
      const queries = alarm.Metrics as MetricQuery[];
      const expression = queries.find((query) => query.ReturnData !== false)?.Expression;
      expect(expression).toBe('FILL(errors, 0) - FILL(holdStops, 0)');
      const errors = queries.find((query) => query.Id === 'errors')?.MetricStat;
      expect(errors?.Metric).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors' });
      expect(errors?.Metric.Dimensions?.map((dimension) => logicalIdOf(dimension.Value))).toEqual([
        functionLogicalId(id),
      ]);
      const holdStops = queries.find((query) => query.Id === 'holdStops')?.MetricStat;
      expect(holdStops?.Metric).toEqual({
        ...holdStopMetricOf(id),
        Dimensions: [{ Name: holdStopMetric.dimension, Value: id }],
      });
      expect(errors?.Period).toBe(holdStops?.Period);
      expect(alarm.Threshold).toBe(1);
    },
  );

  it("count a function's hold stops from the very line its handler logs when a hold stops a task", async () => {
    const fn = functionLogicalId('schedule');
    const [, filter] =
      ofType('AWS::Logs::MetricFilter').find(
        ([, resource]) => logicalIdOf(resource.Properties?.LogGroupName) === logGroupOf(fn),
      ) ?? [];
    const pattern = filter?.Properties?.FilterPattern as string;
    const transformation = (filter?.Properties?.MetricTransformations as MetricTransformation[])[0];
    expect(transformation).toMatchObject({
      MetricNamespace: holdStopMetric.namespace,
      MetricName: holdStopMetric.metricName,
      MetricValue: '1',
    });

    const lines = await failureLinesOf(
      workflowHandler('schedule', z.object({}), () => Promise.reject(new PatientOnHold('patient-1', 'session 2'))),
    );
    const holdLine = lines.find((line) => matchesEqualityPattern(pattern, line));
    expect(holdLine, `a logged line matching ${pattern}`).toBeDefined();
    const dimensionField = transformation?.Dimensions?.[0]?.Value.replace(/^\$\./, '') ?? '';
    expect(holdLine?.[dimensionField]).toBe('schedule');

    const otherFailure = await failureLinesOf(
      workflowHandler('schedule', z.object({}), () => Promise.reject(new Error('table unreachable'))),
    );
    expect(otherFailure.some((line) => matchesEqualityPattern(pattern, line))).toBe(false);
  });

  it('watch the SES bounce rate, and no queue is left to watch', () => {
    expect(Object.values(resources).filter((resource) => resource.Type === 'AWS::SQS::Queue')).toEqual([]);
    expect(
      alarms().some((alarm) => alarm.Namespace === 'AWS/SES' && alarm.MetricName === 'Reputation.BounceRate'),
    ).toBe(true);
  });
});

describe('log groups', () => {
  it('of the state machines and the HTTP API are under /aws/vendedlogs/, where one CloudWatch Logs resource policy covers them all', () => {
    const named = (prefix: string): number =>
      Object.values(resources).filter(
        (resource) =>
          resource.Type === 'AWS::Logs::LogGroup' && String(resource.Properties?.LogGroupName ?? '').startsWith(prefix),
      ).length;
    expect(named('/aws/vendedlogs/states/')).toBe(stateMachineCatalogue.length);
    expect(named('/aws/vendedlogs/apigateway/')).toBe(1);
  });
});

describe('the outputs', () => {
  it('give the API URL, the table name and every state machine ARN', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const values = Object.values(outputs).map((output) => JSON.stringify(output.Value));
    expect(values).toContain(JSON.stringify({ Ref: only('AWS::DynamoDB::Table')[0] }));
    expect(values).toContain(JSON.stringify({ 'Fn::GetAtt': [only('AWS::ApiGatewayV2::Api')[0], 'ApiEndpoint'] }));
    for (const spec of stateMachineCatalogue)
      expect(values).toContain(JSON.stringify({ Ref: stateMachineLogicalId(spec.id) }));
  });
});

describe('the portal sign-in (Cognito)', () => {
  const pool = () => template.findResources('AWS::Cognito::UserPool');
  const poolProps = () => Object.values(pool())[0]?.Properties as Record<string, unknown>;

  it('is one user pool that requires TOTP MFA and a strong password, with threat protection enforced and deletion protection', () => {
    expect(Object.keys(pool())).toHaveLength(1);
    const props = poolProps();
    expect(props['MfaConfiguration']).toBe('ON');
    expect(props['EnabledMfas']).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(props['DeletionProtection']).toBe('ACTIVE');
    expect(props['UserPoolAddOns']).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    const policy = (props['Policies'] as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy;
    expect(policy).toMatchObject({
      MinimumLength: 14,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(props['AdminCreateUserConfig']).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(Object.values(pool())[0]?.DeletionPolicy).toBe('Retain');
  });

  it('has the groups clinician, staff and admin, and ties a user to a clinician by a custom attribute the user cannot write', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => (g.Properties as { GroupName: string }).GroupName,
    );
    expect(groups.sort()).toEqual(['admin', 'clinician', 'staff']);
    expect(poolProps()['Schema']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'clinician_id', AttributeDataType: 'String', Mutable: true }),
      ]),
    );
    const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0]?.Properties as Record<
      string,
      unknown
    >;
    expect(client['WriteAttributes']).toEqual([]);
    expect(client['ReadAttributes']).toContain('custom:clinician_id');
  });

  it("signs in with Cognito's managed login, authorization code only, to the portal's callback, with no client secret", () => {
    const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0]?.Properties as Record<
      string,
      unknown
    >;
    expect(client['GenerateSecret']).toBe(false);
    expect(client['AllowedOAuthFlows']).toEqual(['code']);
    expect(JSON.stringify(client['CallbackURLs'])).toContain('/portal/callback');
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
  });

  it.each([['portal'], ['clinician-pages']])(
    "%s knows the issuer, the client and the session key, and requires sign-in on clinicians' links",
    (id) => {
      const environment = (functionProps(id).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(environment['CLINICIAN_SIGN_IN']).toBe('required');
      expect(JSON.stringify(environment['OIDC_ISSUER'])).toContain('cognito-idp.');
      expect(environment['OIDC_CLIENT_ID']).toBeDefined();
      // a dynamic reference resolved at deploy: the key is in neither the template nor the repository
      expect(JSON.stringify(environment['PORTAL_SESSION_KEY'])).toContain('{{resolve:secretsmanager:');
    },
  );
});
