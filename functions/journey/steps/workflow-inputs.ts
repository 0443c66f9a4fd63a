import * as z from 'zod/mini';
import { id } from '../../domain/schemas/common.ts';

/** The fields every workflow task sends (statemachines/*.asl.json). */
export const journeyRef = { patientId: id, journeyId: id };

export const wholeNumberFrom = (min: number) => z.number().check(z.int(), z.gte(min));
