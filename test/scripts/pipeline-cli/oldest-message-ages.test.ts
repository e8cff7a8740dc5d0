import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { oldestMessageAges } from '../../../scripts/pipeline/status/oldest-message-ages';

describe("the work queues' oldest message age (CloudWatch, on AWS)", () => {
  const cloudWatch = mockClient(CloudWatchClient);
  afterEach(() => cloudWatch.reset());
  const now = new Date('2026-12-07T12:00:00Z');

  it("asks for each queue's latest ApproximateAgeOfOldestMessage maximum and reads it by query id", async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q1', Values: [3600, 3540], Timestamps: [now, now] },
        { Id: 'q0', Values: [42] },
      ],
    });
    const ages = await oldestMessageAges(
      new CloudWatchClient({ region: 'eu-west-1' }),
      ['product-ingest-prod', 'medusa-sync-prod', 'idle-queue'],
      now,
    );
    expect([...ages]).toEqual([
      ['product-ingest-prod', 42],
      ['medusa-sync-prod', 3600],
      ['idle-queue', undefined],
    ]);
    const [call] = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(call.args[0].input).toMatchObject({
      StartTime: new Date('2026-12-07T11:50:00Z'),
      EndTime: now,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [
        {
          Id: 'q0',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateAgeOfOldestMessage',
              Dimensions: [{ Name: 'QueueName', Value: 'product-ingest-prod' }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        },
        expect.objectContaining({ Id: 'q1' }),
        expect.objectContaining({ Id: 'q2' }),
      ],
    });
  });

  it('asks nothing for no queues', async () => {
    expect((await oldestMessageAges(new CloudWatchClient({ region: 'eu-west-1' }), [])).size).toBe(0);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });
});
