import { linkPagesHandler } from '../link-pages/link-pages-handler.ts';
import { patientPages } from '../pages/patient-page-registry.ts';

/** HTTP API routes `GET /p/{token}` and `POST /p/{token}` (functions/catalogue.ts): the patients' links. */
export const handler = linkPagesHandler('patient-pages', 'patient', patientPages);
