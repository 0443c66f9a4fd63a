import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableAction } from '../functions/catalogue.ts';
import { INDEXES, TABLE_KEY, TTL_ATTRIBUTE } from '../functions/store/table-design.ts';

// Spelled out instead of CDK's grant helpers, which add wildcard actions (kms:GenerateDataKey*) and Scan: each
// function's table actions are its own list (functions/catalogue.ts), and the key use goes with them.
const writerKeyActions = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
] as const;
const readerKeyActions = ['kms:Decrypt', 'kms:DescribeKey'] as const;

/**
 * The single table of functions/store/table-design.ts and the customer-managed key that encrypts it.
 * Both outlive the stack: deleting the stack must never delete a patient's record.
 */
export class DataStore extends Construct {
  readonly key: Key;
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Care Journeys: clinical data (table)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEY.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEY.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.table).acknowledge({
      id: 'HIPAA.Security-DynamoDBInBackupPlan',
      reason:
        "Point-in-time recovery gives continuous backups restorable to any second of the last 35 days, and the table is deletion-protected and retained when the stack is deleted. A clinic whose records policy asks for longer-lived copies adds the table to its organisation's AWS Backup plan (README, Deploy to AWS).",
    });
    for (const index of Object.values(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /** Item-level access to the table and its named indexes, and the key use DynamoDB makes on the caller's behalf. */
  grantTableAccess(grantee: IGrantable, actions: readonly TableAction[]): void {
    const { tableArn } = this.table;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        // the indexes only to a role that queries: nothing else is asked of an index
        resources: [
          tableArn,
          ...(actions.includes('Query')
            ? Object.values(INDEXES).map((index) => `${tableArn}/index/${index.indexName}`)
            : []),
        ],
      }),
    );
    const writes = actions.includes('PutItem') || actions.includes('UpdateItem');
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...(writes ? writerKeyActions : readerKeyActions)],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
