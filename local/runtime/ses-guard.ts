import { localSesConfigurationSetArn, localSesIdentityArn } from '../iam/local-arns.ts';
import type { AccessCheck } from '../iam/access-check.ts';
import type { FaultInjection } from './fault-injection.ts';
import { functionIdFromAuthorization } from './function-credentials.ts';
import type { FrontAnswer, FrontGuard } from './guarded-front.ts';

/**
 * SES's side of the local runtime: `ses:SendEmail` is authorized against the sending identity and the
 * configuration set, with the From address as `ses:FromAddress`, as SES does; and SES's own refusals can
 * be injected. The functions speak the SES v1 query protocol, whose errors are XML.
 */
const xmlError = (status: number, code: string, message: string): FrontAnswer => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body:
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${message.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
});

const sendActions = new Set(['SendEmail', 'SendRawEmail', 'SendTemplatedEmail', 'SendBulkTemplatedEmail']);

export function sesGuard(options: { readonly access?: AccessCheck; readonly faults: FaultInjection }): FrontGuard {
  return async (request) => {
    const form = new URLSearchParams(request.body.toString('utf8'));
    const action = form.get('Action') ?? '';
    if (!sendActions.has(action)) return undefined;
    const functionId = functionIdFromAuthorization(request.headers.authorization);
    const fault = options.faults.take({ service: 'ses', functionId });
    if (fault?.service === 'ses') {
      return fault.kind === 'throttle'
        ? xmlError(400, 'Throttling', 'Maximum sending rate exceeded. (local fault injection)')
        : xmlError(400, 'MessageRejected', 'Email address is not verified. (local fault injection)');
    }
    if (options.access === undefined || functionId === undefined) return undefined;
    const from = addressIn(form.get('Source') ?? '');
    const configurationSet = form.get('ConfigurationSetName');
    const resources = [
      localSesIdentityArn(from),
      ...(configurationSet === null ? [] : [localSesConfigurationSetArn(configurationSet)]),
    ];
    for (const resource of resources) {
      const decision = await options.access.decide({
        principal: `function:${functionId}`,
        action: 'ses:SendEmail',
        resource,
        context: { 'ses:FromAddress': from },
      });
      if (!decision.allowed) return xmlError(403, 'AccessDenied', decision.message);
    }
    return undefined;
  };
}

/** `Clinic <care@example.org>` → `care@example.org` */
function addressIn(source: string): string {
  return /<([^>]+)>/.exec(source)?.[1] ?? source.trim();
}
