import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { functionCatalogue, type FunctionSpec } from '../functions/catalogue.ts';
import type { ClinicConfig } from '../functions/platform/clinic-config.ts';
import { DataStore } from './data-store.ts';
import { EmailSending } from './email-sending.ts';
import { pascalCase } from './construct-ids.ts';
import { JourneyFunctions } from './journey-functions.ts';
import { JourneyWorkflows } from './journey-workflows.ts';
import { LinksApi } from './links-api.ts';
import { OperationsAlarms } from './operations-alarms.ts';
import { PortalIdentity } from './portal-identity.ts';
import { TelemetryEncryption } from './telemetry-encryption.ts';
import { WorkflowEncryption } from './workflow-encryption.ts';

export interface CareJourneysStackProps extends StackProps {
  readonly clinic: ClinicConfig;
}

/** The whole system in one stack; each construct owns one concern, and none holds clinical logic. */
export class CareJourneysStack extends Stack {
  readonly data: DataStore;
  readonly email: EmailSending;
  readonly telemetry: TelemetryEncryption;
  readonly workflowEncryption: WorkflowEncryption;
  readonly linksApi: LinksApi;
  readonly functions: JourneyFunctions;
  readonly workflows: JourneyWorkflows;
  readonly alarms: OperationsAlarms;
  readonly portalIdentity: PortalIdentity;

  constructor(scope: Construct, id: string, props: CareJourneysStackProps) {
    super(scope, id, props);
    const { clinic } = props;
    this.telemetry = new TelemetryEncryption(this, 'Telemetry');
    this.workflowEncryption = new WorkflowEncryption(this, 'WorkflowEncryption');
    this.data = new DataStore(this, 'Data');
    this.email = new EmailSending(this, 'Email', {
      senderEmail: clinic.senderEmail,
      senderDomain: clinic.senderDomain,
      telemetry: this.telemetry,
    });
    this.linksApi = new LinksApi(this, 'LinksApi', { telemetry: this.telemetry });
    this.functions = new JourneyFunctions(this, 'Functions', {
      clinic,
      appBaseUrl: this.linksApi.url,
      data: this.data,
      email: this.email,
      telemetry: this.telemetry,
      workflowEncryption: this.workflowEncryption,
    });
    for (const spec of functionCatalogue as readonly FunctionSpec[]) {
      if (spec.routes !== undefined) this.linksApi.route(spec.id, this.functions.get(spec.id), spec.routes);
    }
    // the portal signs people in; the clinicians' links open only for their signed-in addressee
    this.portalIdentity = new PortalIdentity(this, 'PortalIdentity', { appBaseUrl: this.linksApi.url });
    for (const functionId of ['portal', 'clinician-pages'])
      this.portalIdentity.configure(this.functions.get(functionId));
    this.workflows = new JourneyWorkflows(this, 'Workflows', {
      functions: this.functions,
      telemetry: this.telemetry,
      encryption: this.workflowEncryption,
    });
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      opsAlertEmail: clinic.opsAlertEmail,
      telemetry: this.telemetry,
      stateMachines: this.workflows.byId,
      functions: this.functions.byId,
      api: this.linksApi.api,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.linksApi.url,
      description: 'Base URL of the link pages and the staff API (/staff/...)',
    });
    new CfnOutput(this, 'PortalUrl', {
      value: `${this.linksApi.url}/portal`,
      description: 'The clinic portal: clinicians and staff sign in here',
    });
    new CfnOutput(this, 'UserPoolId', {
      value: this.portalIdentity.userPool.userPoolId,
      description: 'The Cognito user pool of the portal: add clinicians and staff here (README, Signing in)',
    });
    new CfnOutput(this, 'TableName', {
      value: this.data.table.tableName,
      description: 'The DynamoDB table (retained on stack deletion)',
    });
    this.email.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `EmailDkimRecord${index + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM record ${index + 1} of 3 to add to the clinic's DNS`,
      });
    });
    for (const [machineId, machine] of this.workflows.byId) {
      new CfnOutput(this, `${pascalCase(machineId)}StateMachineArn`, {
        value: machine.stateMachineArn,
        description: `The ${machineId} state machine`,
      });
    }
  }
}
