import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/**
 * The one list of state machines and the one way their `${Placeholders}` are filled, read by the CDK
 * stack (which fills them with real ARNs) and by the local runtime (which fills them with local ones),
 * so both run the very same ASL files.
 */
export interface StateMachineSpec {
  /** kebab-case id; the ASL file is `statemachines/<id>.asl.json` */
  readonly id: string;
  readonly description: string;
}

export const stateMachineCatalogue = [
  {
    id: 'journey',
    description: 'One patient from enrolment through intake, consult, screening, plan, induction and follow-up',
  },
  { id: 'induction-session', description: 'One at-home session: preparation, check-in gate, the session, journal' },
  { id: 'refill-cycle', description: 'One month of maintenance: refill window, request, refill gate, approval, fill' },
  {
    id: 'person-action',
    description: 'One thing a person must do by emailed link, with its reminder, escalation and expiry',
  },
] as const satisfies readonly StateMachineSpec[];

export type StateMachineId = (typeof stateMachineCatalogue)[number]['id'];

const folder = dirname(fileURLToPath(import.meta.url));

export function definitionPath(id: string): string {
  return join(folder, `${id}.asl.json`);
}

export function readDefinitionTemplate(id: string): string {
  return readFileSync(definitionPath(id), 'utf8');
}

export function stateMachineArnPlaceholder(id: string): string {
  const pascal = id.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());
  return `${pascal}StateMachineArn`;
}

const placeholderPattern = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names a template uses, each once, in order of first use. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(placeholderPattern)].map((m) => m[1] as string))];
}

interface StateList {
  readonly States?: Readonly<
    Record<
      string,
      {
        Type?: string;
        Resource?: string;
        Arguments?: unknown;
        Parameters?: unknown;
        Branches?: StateList[];
        ItemProcessor?: StateList;
        Iterator?: StateList;
      }
    >
  >;
}

/**
 * The placeholders in the arguments of the template's `startExecution.sync` tasks: the state machines it
 * starts and waits for (polling them, and stopping them when it stops), as opposed to those it only starts.
 */
export function placeholdersInSyncStarts(template: string): string[] {
  const found = new Set<string>();
  const visit = (list: StateList | undefined): void => {
    for (const state of Object.values(list?.States ?? {})) {
      if (state.Type === 'Task' && (state.Resource ?? '').startsWith('arn:aws:states:::states:startExecution.sync')) {
        for (const name of placeholdersIn(JSON.stringify(state.Arguments ?? state.Parameters ?? {}))) found.add(name);
      }
      for (const branch of state.Branches ?? []) visit(branch);
      visit(state.ItemProcessor ?? state.Iterator);
    }
  };
  visit(JSON.parse(template) as StateList);
  return [...found];
}

export class MissingPlaceholderValueError extends Error {
  override readonly name = 'MissingPlaceholderValueError';
}

/** Fills every `${Name}`; a placeholder without a value is an error, never left in place. */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string>>): string {
  const missing = placeholdersIn(template).filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    throw new MissingPlaceholderValueError(
      `no value for placeholder(s): ${missing.map((m) => '${' + m + '}').join(', ')}`,
    );
  }
  return template.replace(placeholderPattern, (_m, name: string) => values[name] as string);
}
