import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface WorkerQueriesProps {
  readonly logGroup: logs.ILogGroup;
  readonly stage: string;
}

/**
 * Saved CloudWatch Logs Insights queries over the worker's pino JSON lines (README: Operations): a
 * product's history, errors by reason, the slowest messages.
 */
export class WorkerQueries extends Construct {
  constructor(scope: Construct, id: string, props: WorkerQueriesProps) {
    super(scope, id);
    const queries: Record<string, logs.QueryStringProps> = {
      // Replace the goods id; `externalId` is on every line about a product.
      'product-history': {
        fields: ['@timestamp', 'queue', 'outcome', 'msg', 'pimcoreId', 'medusaId', 'ingestionId', 'reason'],
        filterStatements: ['externalId = "shein:GOODS_ID"'],
        sort: '@timestamp asc',
      },
      // pino levels: 40 warn, 50 error.
      'errors-by-reason': {
        filterStatements: ['level >= 40'],
        statsStatements: ['count(*) as count by coalesce(reason, outcome, msg) as why'],
        sort: 'count desc',
      },
      'slowest-messages': {
        fields: ['@timestamp', 'queue', 'outcome', 'durationMs', 'externalId', 'pimcoreId'],
        filterStatements: ['ispresent(durationMs)'],
        sort: 'durationMs desc',
        limit: 50,
      },
    };
    for (const [name, query] of Object.entries(queries)) {
      new logs.QueryDefinition(this, name, {
        queryDefinitionName: `product-pipeline-${props.stage}/worker/${name}`,
        queryString: new logs.QueryString(query),
        logGroups: [props.logGroup],
      });
    }
  }
}
