import type { LinkPurpose } from '../domain/schemas/link.ts';
import {
  consultBookingPage,
  consultEvaluationPage,
  eligibilityPage,
  followUpPage,
  holdDecisionPage,
  journalMissingPage,
  noticePage,
  refillApprovalPage,
  treatmentPlanPage,
} from './clinician-pages.ts';
import type { PurposePage } from './page-view.ts';
import { assessmentPage, checkInPage, intakePage, journalPage, refillRequestPage } from './patient-pages.ts';

/** The page of every link purpose. */
export const pages: Record<LinkPurpose, PurposePage> = {
  intake: intakePage,
  'consult-booking': consultBookingPage,
  'consult-evaluation': consultEvaluationPage,
  eligibility: eligibilityPage,
  'treatment-plan': treatmentPlanPage,
  'check-in': checkInPage,
  journal: journalPage,
  'journal-missing': journalMissingPage,
  assessment: assessmentPage,
  'hold-decision': holdDecisionPage,
  'follow-up-decision': followUpPage,
  'refill-request': refillRequestPage,
  'refill-approval': refillApprovalPage,
  notice: noticePage,
};
