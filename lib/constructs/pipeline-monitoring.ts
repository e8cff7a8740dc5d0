import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';
import { PipelineFunction } from './pipeline-function';
import { QueueRoute } from './product-messaging';
import type { WorkerCounters } from './worker/worker-log-metrics';

/** A rule whose deliveries are watched; `bus` is absent for rules on the default bus. */
export interface WatchedRule {
  readonly label: string;
  readonly rule: events.IRule;
  readonly bus?: events.IEventBus;
}

/** The worker on ECS: its services, its log-derived counters and, when public, its webhook endpoint. */
export interface WatchedWorker {
  readonly services: { readonly label: string; readonly clusterName: string; readonly serviceName: string }[];
  readonly counters: WorkerCounters;
  readonly webhook?: {
    readonly loadBalancer: elbv2.ApplicationLoadBalancer;
    readonly targetGroup: elbv2.ApplicationTargetGroup;
  };
  /** The nightly reconciliation, unless reconcileSchedule=off. */
  readonly reconciliation?: WatchedReconciliation;
}

/** The nightly reconciliation's results (from its `reconcile.finished` line) and its schedule's DLQ. */
export interface WatchedReconciliation {
  /** Products found out of step between Pimcore and Medusa by a run. */
  readonly drift: cloudwatch.Metric;
  /** Runs that finished (whatever they found). */
  readonly runs: cloudwatch.Metric;
  /** Schedule invocations EventBridge Scheduler could not deliver (the task did not start). */
  readonly scheduleDeadLetterQueue: sqs.IQueue;
}

export interface PipelineMonitoringProps {
  readonly stage: string;
  readonly alarmEmail?: string;
  readonly stateMachine: sfn.StateMachine;
  readonly functions: PipelineFunction[];
  readonly routes: QueueRoute[];
  readonly rules: WatchedRule[];
  readonly deadLetterQueues: { label: string; queue: sqs.IQueue }[];
  readonly oldestMessageAgeThreshold: Duration;
  readonly removalPolicy: RemovalPolicy;
  readonly worker?: WatchedWorker;
}

const ONE_MINUTE = Duration.minutes(1);
const ONE_HOUR = Duration.hours(1);
/** A nightly job that has not finished for this long missed a night (2 hours of slack for a slow run). */
const RECONCILE_OVERDUE_HOURS = 26;

/**
 * Every place where work can get stuck or lost has an alarm that notifies the alarm topic:
 * a DLQ holding anything, a work queue falling behind, an execution failing, timing out or being
 * throttled, a Lambda erroring or throttled, a rule failing to deliver or dead-lettering an event.
 * A dashboard shows the flow end to end, upload to worker.
 */
export class PipelineMonitoring extends Construct {
  readonly topic: sns.Topic;
  /** Alarm e-mails SNS could not deliver (only with an e-mail subscription). */
  readonly notificationDeadLetterQueue?: DeadLetterQueue;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    // CloudWatch must be allowed to use the key, or alarm notifications are silently dropped.
    const topicKey = new kms.Key(this, 'TopicKey', {
      description: `Encrypts the product pipeline (${props.stage}) alarm topic`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    topicKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `product-pipeline-${props.stage}-alarms`,
      displayName: `Product pipeline (${props.stage}) alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    const deadLetterQueues = [...props.deadLetterQueues];
    if (props.alarmEmail) {
      this.notificationDeadLetterQueue = new DeadLetterQueue(this, 'NotificationDeadLetterQueue', {
        queueName: `product-pipeline-${props.stage}-alarm-notifications-dlq`,
        removalPolicy: props.removalPolicy,
      });
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(props.alarmEmail, {
          deadLetterQueue: this.notificationDeadLetterQueue,
        }),
      );
      deadLetterQueues.push({ label: 'AlarmNotificationDlq', queue: this.notificationDeadLetterQueue });
    }

    for (const { label, queue } of deadLetterQueues) {
      this.alarm(`${label}Depth`, queue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE }), {
        threshold: 0,
        description: `${label}: messages are waiting in a dead-letter queue (README: Operations → DLQ)`,
        statistic: 'Maximum',
      });
    }
    for (const route of props.routes) {
      const queue = route.workQueue.queue;
      this.alarm(`${route.workQueue.node.id}OldestMessageAge`, queue.metricApproximateAgeOfOldestMessage(), {
        threshold: props.oldestMessageAgeThreshold.toSeconds(),
        description: `${queue.queueName}: the worker is not keeping up (oldest message too old)`,
        statistic: 'Maximum',
      });
    }

    const machine = props.stateMachine;
    this.alarm('ExecutionsFailed', machine.metricFailed({ period: ONE_MINUTE }), {
      description: 'An ingestion failed: see the IngestionFailed event or the ingestion report',
    });
    this.alarm('ExecutionsTimedOut', machine.metricTimedOut({ period: ONE_MINUTE }), {
      description: 'An ingestion exceeded its execution timeout',
    });
    this.alarm('ExecutionsThrottled', machine.metricThrottled({ period: ONE_MINUTE }), {
      description: 'Step Functions throttled ingestion executions',
    });

    for (const fn of props.functions) {
      const name = fn.node.id;
      this.alarm(`${name}Errors`, fn.function.metricErrors({ period: ONE_MINUTE }), {
        description: `The ${name} Lambda reported errors`,
      });
      this.alarm(`${name}Throttles`, fn.function.metricThrottles({ period: ONE_MINUTE }), {
        description: `The ${name} Lambda was throttled`,
      });
    }

    for (const watched of props.rules) {
      for (const metricName of [
        'FailedInvocations',
        'InvocationsSentToDlq',
        'InvocationsFailedToBeSentToDlq',
      ]) {
        this.alarm(`${watched.label}${metricName}`, ruleMetric(watched, metricName), {
          description: `Rule ${watched.label}: ${metricName} (events not delivered to their target)`,
        });
      }
    }

    if (props.worker) this.watchWorker(props.worker);
    if (props.worker?.reconciliation) this.watchReconciliation(props.worker.reconciliation, props.stage);

    this.dashboard = this.buildDashboard(props);
  }

  /** No running task, webhook refusals and failures, downstream errors, Redis unreachable, bad targets. */
  private watchWorker(worker: WatchedWorker): void {
    const five = Duration.minutes(5);
    for (const service of worker.services) {
      this.alarm(`${service.label}NoRunningTask`, runningTasks(service), {
        description: `Worker service ${service.label}: no task running for 3 minutes (its queue is not drained)`,
        statistic: 'Minimum',
        threshold: 1,
        comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        // No data means no task is reporting.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
    const { counters } = worker;
    this.alarm('WorkerAuthenticationFailures', counters.authenticationFailures, {
      description:
        "Pimcore or Medusa refused the worker's credentials: messages wait (README: Deploy to AWS, secrets)",
    });
    this.alarm('WorkerRedisUnavailable', counters.redisUnavailable, {
      description:
        'The worker lost its Redis: consuming is paused and the webhook answers 503 until it is back',
    });
    const errorRate = new cloudwatch.MathExpression({
      expression: 'IF(attempts >= 20, 100 * errors / attempts, 0)',
      usingMetrics: {
        errors: counters.downstreamErrors.with({ period: five }),
        attempts: new cloudwatch.MathExpression({
          expression: 'applied + duplicates + handedBack + errors',
          usingMetrics: {
            applied: counters.applied.with({ period: five }),
            duplicates: counters.duplicates.with({ period: five }),
            handedBack: counters.handedBack.with({ period: five }),
            errors: counters.downstreamErrors.with({ period: five }),
          },
          period: five,
        }),
      },
      period: five,
      label: 'Downstream failures, % of attempts',
    });
    this.alarm('WorkerDownstreamErrorRate', errorRate, {
      description:
        'Over 20 % of Pimcore/Medusa calls failed in 5 minutes (worker logs: errors-by-reason query)',
      threshold: 20,
    });
    this.alarm('WebhookUnauthorized', counters.webhookUnauthorized.with({ period: five }), {
      description:
        'Over 10 webhook requests refused as unauthorized in 5 minutes: a wrong secret, or an attack',
      threshold: 10,
    });
    this.alarm('WebhookUnavailable', counters.webhookUnavailable.with({ period: five }), {
      description: 'The webhook answered 503 (event not handed to the bus); Pimcore retries, but look why',
    });
    if (worker.webhook) {
      const { loadBalancer, targetGroup } = worker.webhook;
      this.alarm(
        'WebhookServerErrors',
        loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: five }),
        {
          description: 'The worker answered the webhook with 5xx more than 5 times in 5 minutes',
          threshold: 5,
        },
      );
      this.alarm('WebhookUnhealthyTargets', targetGroup.metrics.unhealthyHostCount({ period: ONE_MINUTE }), {
        description: 'A worker task behind the webhook fails its /ready check (Redis or SQS unreachable)',
        statistic: 'Maximum',
        evaluationPeriods: 3,
      });
    }
  }

  /**
   * Drift found, no run finished for a day and more, a schedule invocation dead-lettered: each
   * description names the operator command that answers it (README: Operations).
   */
  private watchReconciliation(reconciliation: WatchedReconciliation, stage: string): void {
    const command = `npx pipeline reconcile --stage ${stage}`;
    this.alarm('ReconcileDrift', reconciliation.drift.with({ period: ONE_HOUR }), {
      description:
        'The nightly reconciliation found products out of step between Pimcore and Medusa (missing, stale, ' +
        'unpublished or in conflict; with reconcileFix on it put repair events for them): its ' +
        `reconcile.finished log line counts them. Run ${command} to reconcile again and see what is left.`,
      statistic: 'Maximum',
      // A run reports once a night: the alarm keeps the last run's verdict until the next run.
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    this.alarm('ReconcileOverdue', reconciliation.runs.with({ period: ONE_HOUR }), {
      description:
        `No nightly reconciliation finished in ${RECONCILE_OVERDUE_HOURS} hours: it failed ` +
        '(reconcile.failed in the worker log group, stream prefix reconcile/), did not start, or has not ' +
        `run yet on a new stack. Run ${command} to reconcile now.`,
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: RECONCILE_OVERDUE_HOURS,
      // No finished line (or no log line at all) is exactly what this alarm is about.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.alarm(
      'ReconcileScheduleDlqDepth',
      reconciliation.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE }),
      {
        description:
          'EventBridge Scheduler could not start the nightly reconciliation task (the failed invocation, ' +
          `with its error, waits in the schedule's DLQ). Run ${command} to reconcile by hand.`,
        statistic: 'Maximum',
      },
    );
  }

  /** Alarms when the metric exceeds the threshold (default: any occurrence) in one period. */
  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: {
      description: string;
      threshold?: number;
      statistic?: string;
      comparison?: cloudwatch.ComparisonOperator;
      evaluationPeriods?: number;
      treatMissingData?: cloudwatch.TreatMissingData;
    },
  ): void {
    const sourced =
      metric instanceof cloudwatch.Metric ? metric.with({ statistic: options.statistic ?? 'Sum' }) : metric;
    const evaluationPeriods = options.evaluationPeriods ?? 1;
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: sourced,
      threshold: options.threshold ?? 0,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      comparisonOperator: options.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  private buildDashboard(props: PipelineMonitoringProps): cloudwatch.Dashboard {
    const machine = props.stateMachine;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      // Dashboard names are account-wide: the region keeps the same stage deployable in two regions.
      dashboardName: `product-pipeline-${props.stage}-${Stack.of(this).region}`,
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, metrics: cloudwatch.IMetric[]) =>
      new cloudwatch.GraphWidget({ title, left: metrics, width: 8, height: 6 });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          `# Product pipeline (${props.stage})\n` +
          'S3 upload → Step Functions (validate, transform, publish) → products bus → ' +
          'product-ingest → worker → Pimcore → webhook → medusa-sync → worker → Medusa',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      graph('1. Ingestions', [
        machine.metricStarted(),
        machine.metricSucceeded(),
        machine.metricFailed(),
        machine.metricTimedOut(),
      ]),
      graph(
        '2. Lambda errors',
        props.functions.map((fn) => fn.function.metricErrors({ label: fn.node.id })),
      ),
      graph(
        '3. Lambda duration (p95)',
        props.functions.map((fn) => fn.function.metricDuration({ statistic: 'p95', label: fn.node.id })),
      ),
    );
    dashboard.addWidgets(
      graph(
        '4. Events delivered by rule',
        props.rules.map((watched) => ruleMetric(watched, 'Invocations', watched.label)),
      ),
      graph(
        '5. Work queues: sent / deleted',
        props.routes.flatMap((route) => [
          route.workQueue.queue.metricNumberOfMessagesSent(),
          route.workQueue.queue.metricNumberOfMessagesDeleted(),
        ]),
      ),
      graph(
        '6. Work queues: backlog and oldest message age',
        props.routes.flatMap((route) => [
          route.workQueue.queue.metricApproximateNumberOfMessagesVisible(),
          route.workQueue.queue.metricApproximateAgeOfOldestMessage(),
        ]),
      ),
    );
    dashboard.addWidgets(
      graph(
        '7. Dead-letter queues',
        props.deadLetterQueues.map(({ label, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ label, statistic: 'Maximum' }),
        ),
      ),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 16, height: 6 }),
    );
    if (props.worker) {
      const { counters, services } = props.worker;
      dashboard.addWidgets(
        graph('8. Worker: messages', [
          counters.applied.with({ label: 'applied' }),
          counters.duplicates.with({ label: 'duplicate or stale' }),
          counters.handedBack.with({ label: 'handed back' }),
          counters.deadLettered.with({ label: 'dead-lettered' }),
          counters.downstreamErrors.with({ label: 'downstream retries' }),
        ]),
        graph('9. Worker: webhook', [
          counters.webhookAccepted.with({ label: 'accepted' }),
          counters.webhookUnauthorized.with({ label: 'unauthorized' }),
          counters.webhookUnavailable.with({ label: 'unavailable (503)' }),
        ]),
        graph('10. Worker: running tasks and handler p95 (ms)', [
          ...services.map(runningTasks),
          counters.handlerDuration.with({ label: 'handler p95 ms' }),
        ]),
      );
    }
    const reconciliation = props.worker?.reconciliation;
    if (reconciliation) {
      dashboard.addWidgets(
        graph('11. Nightly reconciliation', [
          reconciliation.drift.with({ label: 'drift found', statistic: 'Maximum', period: ONE_HOUR }),
          reconciliation.runs.with({ label: 'runs finished', period: ONE_HOUR }),
          reconciliation.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            label: 'schedule DLQ',
            statistic: 'Maximum',
          }),
        ]),
      );
    }
    return dashboard;
  }
}

function runningTasks(service: WatchedWorker['services'][number]): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    dimensionsMap: { ClusterName: service.clusterName, ServiceName: service.serviceName },
    statistic: 'Minimum',
    period: ONE_MINUTE,
    label: service.label,
  });
}

function ruleMetric(watched: WatchedRule, metricName: string, label?: string): cloudwatch.Metric {
  const dimensionsMap: Record<string, string> = { RuleName: watched.rule.ruleName };
  if (watched.bus) dimensionsMap.EventBusName = watched.bus.eventBusName;
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName,
    dimensionsMap,
    statistic: 'Sum',
    period: ONE_MINUTE,
    label,
  });
}
