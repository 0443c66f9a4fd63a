import { readStep } from '../../links/step-store.ts';
import { functionContext } from '../../platform/function-context.ts';

/** The booked consult: the consult-booking step's decision carries it (link page or staff API alike). */
export async function bookedConsultAt(patientId: string, journeyId: string): Promise<string | null> {
  const { client, tableName } = functionContext();
  const step = await readStep(client, tableName, { patientId, journeyId, stepKey: 'consult-booking' });
  const consultAt = step?.output?.consultAt ?? step?.decision?.details?.consultAt;
  return typeof consultAt === 'string' ? consultAt : null;
}
