import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/** How far back the metric is read: SQS publishes it every minute, a little late. */
const LOOKBACK_MINUTES = 10;

/**
 * Each queue's ApproximateAgeOfOldestMessage (seconds, its latest one-minute maximum), from CloudWatch:
 * the age is not a queue attribute, and receiving to find the oldest message would count against its
 * maxReceiveCount. undefined where CloudWatch has no datapoint in the last minutes (SQS stops publishing
 * for a queue idle for hours).
 */
export async function oldestMessageAges(
  cloudWatch: CloudWatchClient,
  queueNames: readonly string[],
  now = new Date(),
): Promise<Map<string, number | undefined>> {
  const ages = new Map<string, number | undefined>(queueNames.map((name) => [name, undefined]));
  if (queueNames.length === 0) return ages;
  const { MetricDataResults: results = [] } = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - LOOKBACK_MINUTES * 60_000),
      EndTime: now,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: queueNames.map((name, index) => ({
        Id: `q${index}`,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/SQS',
            MetricName: 'ApproximateAgeOfOldestMessage',
            Dimensions: [{ Name: 'QueueName', Value: name }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      })),
    }),
  );
  for (const result of results) {
    const index = Number(result.Id?.slice(1));
    const latest = result.Values?.[0];
    if (queueNames[index] !== undefined && latest !== undefined) ages.set(queueNames[index], latest);
  }
  return ages;
}
