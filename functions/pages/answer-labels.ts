import type { RedFlagSymptom } from '../domain/schemas/check-in.ts';
import type { MedicalCondition } from '../domain/schemas/questionnaires.ts';
import type { SideEffectSeverity, SideEffectSymptom } from '../domain/schemas/side-effect-report.ts';

/**
 * What patients read for each coded answer. Written out rather than made from the codes: "Maoi",
 * "Aneurysmal vascular disease avm or intracerebral haemorrhage" and "Chest pain" from "chest-pain" read
 * as a machine talking. Typed as complete records, so a new code cannot reach a form without its words.
 */
export const conditionLabels: Readonly<Record<MedicalCondition, string>> = {
  'ketamine-hypersensitivity': 'An allergy or a serious reaction to ketamine',
  'psychotic-disorder': 'A psychotic disorder, such as schizophrenia, now or in the past',
  'aneurysmal-vascular-disease-avm-or-intracerebral-haemorrhage': 'An aneurysm, an arteriovenous malformation (AVM), or bleeding in the brain',
  'unstable-cardiovascular-disease': 'Heart or blood vessel disease that is not under control (for example chest pain at rest, or a recent heart attack)',
  'raised-intracranial-or-intraocular-pressure': 'Raised pressure inside the head or the eye (for example some kinds of glaucoma)',
  'severe-liver-disease': 'Severe liver disease, such as cirrhosis',
  'current-substance-dependence': 'Dependence on alcohol or drugs now',
  'past-ketamine-misuse': 'Using ketamine other than as prescribed, at any time',
  'opioid-use-disorder': 'Opioid use disorder (problems with opioid use), now or in the past',
  'controlled-cardiovascular-disease': 'Heart or blood vessel disease that is under control with treatment',
  seizures: 'Seizures or epilepsy',
  'untreated-thyroid-disease': 'A thyroid problem that is not being treated',
  'urinary-symptoms': 'Bladder or urinary problems (pain, urgency, going often, or blood in the urine)',
  'family-history-of-psychosis': 'A parent, brother, sister or child with a psychotic disorder',
  'sleep-apnoea': 'Sleep apnea (breathing stops during sleep)',
  'significant-lung-disease': 'Significant lung disease, such as COPD or severe asthma',
};

export const redFlagSymptomLabels: Readonly<Record<RedFlagSymptom, string>> = {
  'chest-pain': 'Chest pain',
  'breathing-difficulty': 'Shortness of breath or trouble breathing',
  'back-pain': 'Back pain',
  'numbness-or-weakness': 'Numbness or weakness',
  'vision-change': 'A change in your vision',
  'trouble-speaking': 'Trouble speaking',
  'severe-headache': 'A severe headache',
};

export const priorTreatmentLabels: Readonly<Record<string, string>> = {
  medication: 'Medication',
  psychotherapy: 'Talking therapy (psychotherapy)',
  neuromodulation: 'Brain stimulation (such as TMS or ECT)',
  other: 'Something else',
};

export const pregnancyLabels = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'cannot-become-pregnant', label: 'I cannot become pregnant' },
] as const;

export const sideEffectLabels: Readonly<Record<SideEffectSymptom, string>> = {
  nausea: 'Nausea',
  vomiting: 'Vomiting',
  dizziness: 'Dizziness',
  headache: 'Headache',
  dissociation: 'Feeling detached or unreal (dissociation)',
  sedation: 'Drowsiness',
  confusion: 'Confusion',
  anxiety: 'Anxiety',
  palpitations: 'A racing or pounding heart',
  'blurred-vision': 'Blurred vision',
  'urinary-symptoms': 'Bladder or urinary problems (going often, urgency, pain)',
  'low-mood': 'Low mood',
  'suicidal-thoughts': 'Thoughts of harming or killing yourself',
  'chest-pain': 'Chest pain',
  'breathing-difficulty': 'Shortness of breath or trouble breathing',
  fainting: 'Fainting',
  'blood-in-urine': 'Blood in your urine',
  'severe-bladder-pain': 'Severe bladder pain',
  'hallucinations-beyond-session': 'Seeing or hearing things after the session ended',
  'signs-of-misuse': 'Taking more than prescribed, or wanting to',
};

const severityLabels: Readonly<Record<SideEffectSeverity, string>> = { none: 'None', mild: 'Mild', moderate: 'Moderate', severe: 'Severe' };
export const severityOptions = (Object.keys(severityLabels) as SideEffectSeverity[]).map((value) => ({ value, label: severityLabels[value] }));
