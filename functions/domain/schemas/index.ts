/** Every schema of the domain, each defined once in the file named after its concern. */
export * from './common.ts';
export * from './patient.ts';
export * from './journey.ts';
export * from './questionnaires.ts';
export * from './evaluation.ts';
export * from './screening-result.ts';
export * from './treatment-plan.ts';
export * from './session.ts';
export * from './check-in.ts';
export * from './journal-entry.ts';
export * from './side-effect-report.ts';
export * from './adverse-event.ts';
export * from './assessment.ts';
export * from './fill.ts';
export * from './link.ts';
export * from './audit-event.ts';
export * from './field-errors.ts';
