import { clinicianPages } from '../pages/clinician-page-registry.ts';
import { linkPagesHandler } from '../link-pages/link-pages-handler.ts';
import { requireClinicianSignIn } from '../portal/clinician-sign-in.ts';

/** HTTP API routes `GET /c/{token}` and `POST /c/{token}` (functions/catalogue.ts): the clinicians' links, behind their sign-in. */
export const handler = linkPagesHandler('clinician-pages', 'clinician', clinicianPages, requireClinicianSignIn);
