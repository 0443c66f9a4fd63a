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

/**
 * SES did not take the email. It says which SES error only: SES's own message can quote the recipient's
 * address ("identities failed the check: ..."), and a workflow task's error message becomes its failure
 * cause in execution history and in the workflow and function logs.
 */
export class EmailNotSent extends Error {
  override readonly name = 'EmailNotSent';
  readonly sesError: string;
  constructor(sesError: string) {
    super(`SES did not take the email: ${sesError}`);
    this.sesError = sesError;
  }
}

export async function sendEmail(outgoing: Outgoing): Promise<{ messageId: string }> {
  const command = new SendEmailCommand({
    Source: outgoing.from,
    Destination: { ToAddresses: [outgoing.to] },
    Message: {
      Subject: { Data: outgoing.email.subject, Charset: 'UTF-8' },
      Body: {
        Text: { Data: outgoing.email.text, Charset: 'UTF-8' },
        Html: { Data: outgoing.email.html, Charset: 'UTF-8' },
      },
    },
    ConfigurationSetName: outgoing.configurationSet,
  });
  let result;
  try {
    result = await ses().send(command);
  } catch (error) {
    throw new EmailNotSent(error instanceof Error ? error.name : 'unknown error');
  }
  return { messageId: result.MessageId ?? '' };
}
