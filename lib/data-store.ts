import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { INDEXES, TABLE_KEY, TTL_ATTRIBUTE } from '../functions/store/table-design.ts';

export type TableAccess = 'read' | 'readwrite' | 'readwrite-by-key';

// Spelled out instead of CDK's grant helpers, which add wildcard actions (kms:GenerateDataKey*) and Scan.
export const tableActions: Readonly<Record<TableAccess, readonly string[]>> = {
  // only what the store sends: single-item reads and queries; no batches. No ConditionCheckItem: a condition
  // check is an item of a write transaction, which a reader never sends
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  // transactions are authorized per item (Put, Update, ConditionCheck); no DeleteItem: no store write deletes
  // (records are kept; TTL expires what may go), and local IAM refuses one that would
  readwrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  // the same for a function that reaches every item by its key and queries neither the table nor an index
  'readwrite-by-key': ['dynamodb:GetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
};
const writerKeyActions = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
] as const;
const keyActions: Record<TableAccess, readonly string[]> = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  readwrite: writerKeyActions,
  'readwrite-by-key': writerKeyActions,
};

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
        'Point-in-time recovery gives continuous backups restorable to any second of the last 35 days, and the table is deletion-protected and retained when the stack is deleted. A clinic whose records policy asks for longer-lived copies adds the table to its organisation\'s AWS Backup plan (README, Deploy to AWS).',
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
  grantTableAccess(grantee: IGrantable, access: TableAccess): void {
    const { tableArn } = this.table;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...tableActions[access]],
        // the indexes only to a role that queries: nothing else is asked of an index
        resources: [tableArn, ...(tableActions[access].includes('dynamodb:Query') ? Object.values(INDEXES).map((index) => `${tableArn}/index/${index.indexName}`) : [])],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...keyActions[access]],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}
