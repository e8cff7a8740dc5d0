import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INCOMING_PREFIX, REPORTS_PREFIX, STAGING_PREFIX } from '../../contracts/events';

export interface IngestBucketProps {
  readonly retainData: boolean;
  readonly stagingExpiration: Duration;
  readonly reportExpiration: Duration;
  /** Uploads are the merchandisers' files: kept until deleted unless an expiration is chosen. */
  readonly incomingExpiration?: Duration;
}

/**
 * Where merchandisers upload exports (`incoming/`) and where the workflow keeps its intermediate
 * batches (`staging/`, short-lived) and its reports (`reports/`). Private, encrypted, TLS-only,
 * versioned, access-logged, and sending its events to EventBridge (that is what starts ingestion).
 */
export class IngestBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: IngestBucketProps) {
    super(scope, id);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const autoDeleteObjects = !props.retainData;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy,
      autoDeleteObjects,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'ingest-bucket/',
      lifecycleRules: [
        {
          id: 'expire-staging',
          prefix: STAGING_PREFIX,
          expiration: props.stagingExpiration,
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'expire-reports', prefix: REPORTS_PREFIX, expiration: props.reportExpiration },
        ...(props.incomingExpiration
          ? [{ id: 'expire-incoming', prefix: INCOMING_PREFIX, expiration: props.incomingExpiration }]
          : []),
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
      autoDeleteObjects,
    });
    // Set natively on the bucket: `eventBridgeEnabled: true` would deploy a custom-resource Lambda
    // (with a broad managed policy) just to flip this switch.
    (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
  }
}
