import type { AudiencePages } from './page-view.ts';
import { recoveryPage } from './recovery-page.ts';
import {
  assessmentPage,
  checkInPage,
  consultPage,
  intakePage,
  journalPage,
  preparationPage,
  refillRequestPage,
} from './patient-pages.ts';

/** The page of every purpose whose links go to patients (functions/links/purposes.ts: actor 'patient'). */
export const patientPages: AudiencePages = {
  intake: intakePage,
  'check-in': checkInPage,
  journal: journalPage,
  assessment: assessmentPage,
  'refill-request': refillRequestPage,
  preparation: preparationPage,
  recovery: recoveryPage,
  consult: consultPage,
};
