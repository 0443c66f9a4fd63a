import { useJourneyDriver } from './support/journey-driver.ts';
import { describeWaitInjections, type Wait } from './support/journey-waits.ts';

/**
 * Every wait for a person before treatment: intake, consult booking, evaluation, eligibility, plan. At each, on a fresh patient: a hold then resume, a hold then new plan, a
 * hold then discharge, an expiry, a restart where one exists (a duplicate and a late submission with WAITS_THOROUGH=1). After
 * each, every journey invariant must hold (test/support/journey-invariants.ts): no execution failed, timed
 * out or was aborted (the design intends none of them to), the journey is in a defined phase, fills never
 * exceed the refills allowed and are numbered by count, nothing reaches the patient during a hold or after
 * the journey closed, and a notice of a refusal at recording follows an approval. Each run prints what it
 * reached, so the file cannot pass on nothing.
 */
const local = useJourneyDriver();
const mine: readonly Wait[] = ['intake', 'consult-booking', 'consult-evaluation', 'eligibility', 'treatment-plan'];

describeWaitInjections(local, 'every wait for a person, before-treatment', mine);
