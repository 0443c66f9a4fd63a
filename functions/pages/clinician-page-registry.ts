import {
  consultBookingPage,
  consultEvaluationPage,
  eligibilityPage,
  followUpPage,
  holdDecisionPage,
  journalMissingPage,
  missedCheckInsPage,
  firstDoseCheckInPage,
  noticePage,
  refillApprovalPage,
  treatmentPlanPage,
} from './clinician-pages.ts';
import type { AudiencePages } from './page-view.ts';

/** The page of every purpose whose links go to clinicians (actor 'clinician', and the view-only notice). */
export const clinicianPages: AudiencePages = {
  'consult-booking': consultBookingPage,
  'consult-evaluation': consultEvaluationPage,
  eligibility: eligibilityPage,
  'treatment-plan': treatmentPlanPage,
  'journal-missing': journalMissingPage,
  'missed-check-ins': missedCheckInsPage,
  'first-dose-check-in': firstDoseCheckInPage,
  'hold-decision': holdDecisionPage,
  'follow-up-decision': followUpPage,
  'refill-approval': refillApprovalPage,
  notice: noticePage,
};
