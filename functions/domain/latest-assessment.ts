/** The most recent of a patient's assessments by when it was taken (not by when it was stored). */
export function latestAssessment<T extends { readonly takenAt: string }>(assessments: readonly T[]): T | undefined {
  return [...assessments].sort((a, b) => Date.parse(a.takenAt) - Date.parse(b.takenAt)).at(-1);
}
