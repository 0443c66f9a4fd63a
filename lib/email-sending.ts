import { Annotations, ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { TelemetryEncryption } from './telemetry-encryption.ts';

export interface EmailSendingProps {
  /** the clinic's sender address (clinic config `senderEmail`) */
  readonly senderEmail: string;
  /** the clinic's mail domain (clinic config `senderDomain`); without it only the address is verified */
  readonly senderDomain?: string | undefined;
  readonly telemetry: TelemetryEncryption;
}

/** The subdomain of the clinic's domain that SES uses as the envelope sender (bounces go there). */
export const mailFromSubdomain = 'bounce';

/** The warning synth gives for an address-only identity, so a test and a reader find the same words. */
export const addressOnlyIdentityWarning =
  'clinic config has no senderDomain: only the sender address is verified in SES. Mail is then signed by and sent from amazonses.com, ' +
  'so it fails DMARC alignment and a clinic domain with DMARC quarantine or reject loses reminders. Fine for a sandbox trial; set senderDomain before patients are enrolled.';

/**
 * The SES side of the system: the sender's identity, and a configuration set that refuses plain-text
 * delivery, keeps bouncing and complaining addresses suppressed, and reports bounces and complaints.
 *
 * With the clinic's domain, the identity is the domain with Easy DKIM (signed as the clinic's domain) and a
 * custom MAIL FROM domain (the envelope sender, which SPF checks, is the clinic's too): mail passes the
 * clinic's DMARC by both. The DNS records to add are in the README's deploy section and the stack outputs.
 */
export class EmailSending extends Construct {
  readonly identity: EmailIdentity;
  /** the DKIM CNAME records for the clinic's DNS (known only after deploy); none for an address-only identity */
  readonly dkimRecords: readonly { readonly name: string; readonly value: string }[] = [];
  readonly configurationSet: ConfigurationSet;
  /** bounce and complaint notifications, for a clinic's own follow-up (fixing a patient's address) */
  readonly deliveryProblemsTopic: Topic;

  private readonly senderEmail: string;

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    if (props.senderDomain === undefined) {
      this.identity = new EmailIdentity(this, 'Sender', { identity: Identity.email(props.senderEmail) });
      Annotations.of(this).addWarningV2('care-journeys:ses-address-only-identity', addressOnlyIdentityWarning);
    } else {
      this.identity = new EmailIdentity(this, 'Sender', {
        identity: Identity.domain(props.senderDomain),
        dkimSigning: true,
        dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
        mailFromDomain: `${mailFromSubdomain}.${props.senderDomain}`,
        // Until the MAIL FROM records resolve, SES falls back to its own envelope sender rather than refusing
        // to send: the DKIM signature alone still passes DMARC, and reminders keep going out.
      });
      this.dkimRecords = this.identity.dkimRecords;
    }
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Reminders must never travel in clear text between mail servers, even though they carry no PHI.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.deliveryProblemsTopic = new Topic(this, 'DeliveryProblems', {
      displayName: 'Care Journeys email bounces and complaints',
      masterKey: props.telemetry.key,
      enforceSSL: true,
    });
    new ConfigurationSetEventDestination(this, 'DeliveryProblemsDestination', {
      configurationSet: this.configurationSet,
      destination: EventDestination.snsTopic(this.deliveryProblemsTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT],
    });
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * ses:SendEmail from the clinic's sender, through this configuration set only. The identity resource is
   * `identity/*` because, while the account is in the SES sandbox, SES also authorizes the call against
   * each RECIPIENT's verified identity; the `ses:FromAddress` condition keeps the sender fixed.
   */
  grantSend(grantee: IGrantable): void {
    const identities = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identities, this.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
      }),
    );
  }
}
