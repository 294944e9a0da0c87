import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ALL_INDEXES, TABLE_DESIGN } from '../../functions/store/table-design';

/**
 * The articles table, built from TABLE_DESIGN so that the keys and indexes the functions query are the
 * ones that exist. The table is the source of truth of every article, so it outlives the stack.
 */
export class ArticlesTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: AttributeType.STRING },
      // A newsroom's traffic is spiky (breaking news) and mostly absorbed by CloudFront: capacity planning
      // would either throttle the spikes or pay for idle capacity.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The renderer needs the old image too: an unpublish or a slug change must delete the old page.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
    });

    for (const index of ALL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.projectedAttributes],
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  get tableArn(): string {
    return this.table.tableArn;
  }

  /** Exact index ARNs, so that grants name the indexes a function queries instead of `index/*`. */
  indexArn(indexName: string): string {
    if (!ALL_INDEXES.some((index) => index.indexName === indexName)) {
      throw new Error(`Unknown index ${indexName}`);
    }
    return `${this.table.tableArn}/index/${indexName}`;
  }

  get allIndexArns(): string[] {
    return ALL_INDEXES.map((index) => this.indexArn(index.indexName));
  }
}
