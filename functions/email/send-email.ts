import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { RenderedEmail } from './templates.ts';

/** SES through the SDK, which reads AWS_ENDPOINT_URL_SES; locally that is the SES emulator. */
let client: SESClient | undefined;
function ses(): SESClient {
  client ??= new SESClient({});
  return client;
}

export interface Outgoing {
  readonly from: string;
  readonly to: string;
  readonly email: RenderedEmail;
  readonly configurationSet?: string | undefined;
}

export async function sendEmail(outgoing: Outgoing): Promise<{ messageId: string }> {
  const result = await ses().send(
    new SendEmailCommand({
      Source: outgoing.from,
      Destination: { ToAddresses: [outgoing.to] },
      Message: {
        Subject: { Data: outgoing.email.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: outgoing.email.text, Charset: 'UTF-8' }, Html: { Data: outgoing.email.html, Charset: 'UTF-8' } },
      },
      ConfigurationSetName: outgoing.configurationSet,
    }),
  );
  return { messageId: result.MessageId ?? '' };
}
