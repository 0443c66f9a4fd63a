import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functionCatalogue } from '../functions/catalogue.ts';
import { taskResultActions } from '../lib/journey-functions.ts';
import { handlerEntry } from '../lib/project-paths.ts';

/**
 * The stack grants each function exactly the access its catalogue entry declares, and the local
 * runtime enforces none of it; so a handler that can reach SES, a task callback or StartExecution
 * without declaring it would pass every local test and fail on AWS. This reads each handler's real
 * import graph (as esbuild bundles it) and compares it with the declaration.
 */
const capabilities = {
  email: 'functions/email/send-email.ts',
  callbacks: 'functions/platform/task-callbacks.ts',
  startExecution: 'functions/staff-api/start-journey-execution.ts',
  tableWrites: 'functions/store/audited-change.ts',
} as const;

async function modulesOf(functionId: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [handlerEntry(functionId)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    metafile: true,
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'silent',
  });
  return new Set(Object.keys(result.metafile.inputs));
}

async function shakenBundleOf(functionId: string): Promise<string> {
  const result = await build({
    entryPoints: [handlerEntry(functionId)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'silent',
  });
  return result.outputFiles.map((file) => file.text).join('\n');
}

describe('every function declares in the catalogue the AWS access its code can use', () => {
  for (const spec of functionCatalogue) {
    it(`${spec.id}: declared email, callbacks, executions and table writes cover its imports`, async () => {
      const modules = await modulesOf(spec.id);
      const uses = (path: string) => modules.has(path);
      if (uses(capabilities.email)) expect(spec.access.email, 'sends email').toBe(true);
      if (uses(capabilities.callbacks))
        expect(spec.access.workflows, 'completes or fails task tokens').not.toBe('none');
      if (uses(capabilities.startExecution)) expect(spec.access.workflows, 'starts executions').toBe('start');
      if (uses(capabilities.tableWrites)) expect(spec.access.table, 'writes to the table').toContain('PutItem');
    });

    it(`${spec.id}: may make exactly the Step Functions and SES calls its code makes`, async () => {
      // the bundle as Lambda gets it: code nothing calls is shaken out, so a module imported for another of
      // its functions does not count
      const code = await shakenBundleOf(spec.id);
      const sent = ['SendTaskSuccess', 'SendTaskFailure', 'StartExecution', 'DescribeExecution']
        .filter((action) => code.includes(`new ${action}Command(`))
        .map((action) => `states:${action}`);
      const declared = [
        ...taskResultActions[spec.access.workflows],
        ...(spec.access.workflows === 'start' ? ['states:StartExecution', 'states:DescribeExecution'] : []),
      ];
      expect(sent, `declared workflows "${spec.access.workflows}"`).toEqual(declared);
      expect(code.includes('new SendEmailCommand('), 'sends email').toBe(spec.access.email);
    });

    it(`${spec.id}: may use exactly the DynamoDB actions its code sends`, async () => {
      const code = await shakenBundleOf(spec.id);
      // a transaction is authorized per item: its audit events are puts, its writes updates, its checks condition checks
      const transacts = code.includes('new TransactWriteCommand(');
      const sent = [
        ...(code.includes('new GetCommand(') ? ['dynamodb:GetItem'] : []),
        ...(code.includes('new QueryCommand(') ? ['dynamodb:Query'] : []),
        ...(transacts && code.includes('kind: "check"') ? ['dynamodb:ConditionCheckItem'] : []),
        ...(transacts ? ['dynamodb:PutItem'] : []),
        ...(transacts && code.includes('kind: "update"') ? ['dynamodb:UpdateItem'] : []),
      ];
      expect(sent.sort(), 'declared table actions').toEqual(
        spec.access.table.map((action) => `dynamodb:${action}`).sort(),
      );
    });
  }

  it('knows where each capability lives (the paths above exist in some bundle)', async () => {
    const all = new Set<string>();
    for (const spec of functionCatalogue) for (const module of await modulesOf(spec.id)) all.add(module);
    for (const path of Object.values(capabilities)) expect(all.has(path), path).toBe(true);
  });
});
