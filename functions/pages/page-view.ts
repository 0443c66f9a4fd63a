import type { LinkPurpose } from '../domain/schemas/link.ts';
import type { PreferredLanguage } from '../domain/schemas/patient.ts';
import type { Protocol } from '../domain/protocol.ts';
import type { PatientContext } from '../patient/patient-context.ts';
import type { AnswerPageOnly, AnswerRule } from '../links/answers/answer.ts';
import type { LinkItem, StepItem } from '../links/step-store.ts';
import type { ClinicConfig } from '../platform/clinic-config.ts';
import type { CalendarEvent } from './calendar-file.ts';
import type { FormState, FormValues } from './form-fields.ts';
import type { Html } from './html.ts';
import { messagesFor } from './message-catalogue.ts';
import type { PageTitleKey } from './messages-en.ts';

/** What a link page knows when it renders: the link, its step, the patient's record, the time and zone. */
export interface PageView {
  readonly link: LinkItem;
  readonly step: StepItem;
  readonly patient: PatientContext;
  readonly protocol: Protocol;
  readonly clinic: ClinicConfig;
  readonly now: Date;
  /** the zone the person reads and types times in: the patient's own, or the clinic's for clinicians */
  readonly timeZone: string;
  /** the language the person reads: the patient's preferred one, English for clinicians */
  readonly language: PreferredLanguage;
}

/** One page per link purpose: its form, how the posted form becomes an answer, and what it shows after. */
export interface PurposePage {
  /** in English; a patient page names its title in the message catalogue too (`titleKey`) */
  readonly title: string;
  readonly titleKey?: PageTitleKey;
  /** undefined for a view-only page (a POST is refused) */
  readonly rule: AnswerRule | undefined;
  render(view: PageView, form: FormState): Html;
  answerFrom(values: FormValues, view: PageView): unknown;
  /** the appointment this page is about, offered as an .ics file at `?calendar` (view-only pages) */
  calendar?(view: PageView): CalendarEvent | undefined;
  /** `pageOnly`: what the answer rule gave for this page alone (functions/links/answers/answer.ts) */
  done(view: PageView, decision: string, output: Readonly<Record<string, unknown>>, pageOnly?: AnswerPageOnly): Html;
}

/**
 * The pages one audience's function serves, by purpose. Patients' and clinicians' pages are separate
 * registries so each function bundles only its own; a purpose missing here is not found.
 */
/** The page's title in the reader's language. */
export function titleOf(page: PurposePage, language: PreferredLanguage): string {
  return page.titleKey === undefined ? page.title : messagesFor(language).titles[page.titleKey];
}

export type AudiencePages = Readonly<Partial<Record<LinkPurpose, PurposePage>>>;
