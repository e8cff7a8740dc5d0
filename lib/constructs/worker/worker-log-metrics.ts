import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface WorkerLogMetricsProps {
  readonly logGroup: logs.ILogGroup;
  readonly stage: string;
}

/** The worker's counters, as CloudWatch metrics. */
export interface WorkerCounters {
  readonly applied: cloudwatch.Metric;
  readonly duplicates: cloudwatch.Metric;
  readonly handedBack: cloudwatch.Metric;
  /** Messages kept for later because Pimcore or Medusa refused the credentials. */
  readonly authenticationFailures: cloudwatch.Metric;
  readonly deadLettered: cloudwatch.Metric;
  /** In-process retries of a failed Pimcore or Medusa call. */
  readonly downstreamErrors: cloudwatch.Metric;
  readonly handlerDuration: cloudwatch.Metric;
  /** Webhook deliveries taken (202): those that put an event and those coalesced into one. */
  readonly webhookAccepted: cloudwatch.Metric;
  readonly webhookUnauthorized: cloudwatch.Metric;
  readonly webhookUnavailable: cloudwatch.Metric;
  readonly redisUnavailable: cloudwatch.Metric;
}

/**
 * The worker's metrics in CloudWatch, from the JSON lines it already writes (docs/worker.md): one line
 * per settled message with its `outcome`, one per webhook request with its `outcome`, one per downstream
 * retry, one when Redis goes away. Metric filters rather than a second reporting path in the worker:
 * the log line is the record, so the counts cannot disagree with it.
 */
export class WorkerLogMetrics extends Construct {
  readonly counters: WorkerCounters;
  private readonly logGroup: logs.ILogGroup;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: WorkerLogMetricsProps) {
    super(scope, id);
    this.logGroup = props.logGroup;
    this.namespace = `ProductPipeline/${props.stage}/Worker`;
    const filter = this.fromLogLines.bind(this);
    const { all, any, exists, stringValue } = logs.FilterPattern;
    const outcome = (value: string) => stringValue('$.outcome', '=', value);
    // Consumer lines name their queue; webhook lines do not.
    const settled = (...outcomes: string[]) => all(exists('$.queue'), any(...outcomes.map(outcome)));
    this.counters = {
      applied: filter('MessagesApplied', settled('applied')),
      duplicates: filter('MessagesDuplicate', settled('duplicate', 'stale')),
      handedBack: filter('MessagesHandedBack', settled('retry-later')),
      authenticationFailures: filter(
        'DownstreamAuthenticationFailed',
        all(
          exists('$.queue'),
          any(
            stringValue('$.reason', '=', 'PimcoreAuthentication'),
            stringValue('$.reason', '=', 'MedusaAuthentication'),
          ),
        ),
      ),
      deadLettered: filter('MessagesDeadLettered', settled('dead-letter')),
      downstreamErrors: filter('DownstreamRetries', all(exists('$.queue'), outcome('retrying'))),
      handlerDuration: filter(
        'HandlerDurationMs',
        all(exists('$.queue'), exists('$.durationMs')),
        '$.durationMs',
        'p95',
      ),
      // A coalesced delivery is accepted too (202): its change reaches Medusa with the event already on
      // its way, so the deliveries Pimcore handed over are counted whether or not they put an event.
      webhookAccepted: filter(
        'WebhookAccepted',
        all(any(outcome('accepted'), outcome('coalesced')), exists('$.deliveryId')),
      ),
      webhookUnauthorized: filter('WebhookUnauthorized', outcome('unauthorized')),
      webhookUnavailable: filter('WebhookUnavailable', all(outcome('unavailable'), exists('$.deliveryId'))),
      redisUnavailable: filter('RedisUnavailable', stringValue('$.event', '=', 'redis-unavailable')),
    };
  }

  /**
   * A metric in the worker's namespace from the log lines that match `pattern`: each counts 1 (and
   * lines that do not match count 0), or gives `value`, a field of the line such as `$.durationMs`.
   */
  fromLogLines(
    name: string,
    pattern: logs.IFilterPattern,
    value = '1',
    statistic = 'Sum',
  ): cloudwatch.Metric {
    new logs.MetricFilter(this, name, {
      logGroup: this.logGroup,
      metricNamespace: this.namespace,
      metricName: name,
      filterPattern: pattern,
      metricValue: value,
      defaultValue: value === '1' ? 0 : undefined,
    });
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: name,
      statistic,
      period: Duration.minutes(1),
    });
  }
}
