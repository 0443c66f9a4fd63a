import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
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
  readonly telemetry: TelemetryEncryption;
}

/**
 * The SES side of the system: the sender's identity, and a configuration set that refuses plain-text
 * delivery, keeps bouncing and complaining addresses suppressed, and reports bounces and complaints.
 */
export class EmailSending extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** bounce and complaint notifications, for a clinic's own follow-up (fixing a patient's address) */
  readonly deliveryProblemsTopic: Topic;

  private readonly senderEmail: string;

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.identity = new EmailIdentity(this, 'Sender', { identity: Identity.email(props.senderEmail) });
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
