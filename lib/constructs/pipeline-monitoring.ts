import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
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

/** A rule whose deliveries are watched; `bus` is absent for rules on the default bus. */
export interface WatchedRule {
  readonly label: string;
  readonly rule: events.IRule;
  readonly bus?: events.IEventBus;
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
}

const ONE_MINUTE = Duration.minutes(1);

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

    this.dashboard = this.buildDashboard(props);
  }

  /** Alarms when the metric exceeds the threshold (default: any occurrence) in one period. */
  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: { description: string; threshold?: number; statistic?: string },
  ): void {
    const sourced =
      metric instanceof cloudwatch.Metric ? metric.with({ statistic: options.statistic ?? 'Sum' }) : metric;
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: sourced,
      threshold: options.threshold ?? 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  private buildDashboard(props: PipelineMonitoringProps): cloudwatch.Dashboard {
    const machine = props.stateMachine;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `product-pipeline-${props.stage}`,
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
    return dashboard;
  }
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
