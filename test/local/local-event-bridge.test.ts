import type { MessageAttributeJson } from '../../local/sqs/message-attributes';
import { LocalEventBridge } from '../../local/eventbridge/local-event-bridge';
import { selectJsonPath } from '../../local/eventbridge/target-input';
import type { QueueSender } from '../../local/eventbridge/target-delivery';
import type { EventBusModel, RuleModel, RuleTargetModel } from '../../local/template/stack-model';

/** Collects what would be sent to queues, by queue ARN. */
class RecordingQueues implements QueueSender {
  readonly sent: Array<{
    queueArn: string;
    body: string;
    attributes?: Record<string, MessageAttributeJson>;
  }> = [];
  sendMessage(queueArn: string, body: string, attributes?: Record<string, MessageAttributeJson>) {
    this.sent.push({ queueArn, body, attributes });
    return { messageId: String(this.sent.length) };
  }
}

const BUS: EventBusModel = { name: 'orders', arn: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' };
const DEFAULT_BUS: EventBusModel = {
  name: 'default',
  arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
};

const rule = (targets: RuleTargetModel[], overrides: Partial<RuleModel> = {}): RuleModel => ({
  logicalId: 'Rule',
  name: 'orders-rule',
  arn: 'arn:aws:events:us-east-1:000000000000:rule/orders/orders-rule',
  eventBusName: 'orders',
  eventPattern: { source: ['shop'] },
  enabled: true,
  targets,
  ...overrides,
});

const queueTarget = (overrides: Partial<RuleTargetModel> = {}): RuleTargetModel => ({
  id: 'Queue',
  arn: 'arn:aws:sqs:us-east-1:000000000000:orders',
  kind: 'sqs',
  ...overrides,
});

const bridge = (rules: RuleModel[], queues: QueueSender) =>
  new LocalEventBridge({
    eventBuses: [DEFAULT_BUS, BUS],
    rules,
    accountId: '000000000000',
    region: 'us-east-1',
    queues,
  });

const order = { Source: 'shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id: 'o-1', total: 12 }) };

afterEach(() => jest.restoreAllMocks());

describe('LocalEventBridge target input and delivery', () => {
  it.each<[string, Partial<RuleTargetModel>, unknown]>([
    [
      'the whole event by default',
      {},
      expect.objectContaining({ source: 'shop', detail: { id: 'o-1', total: 12 } }),
    ],
    ['the part InputPath selects', { inputPath: '$.detail' }, { id: 'o-1', total: 12 }],
    ['a constant Input', { input: '{"fixed":true}' }, { fixed: true }],
  ])('sends %s', async (_case, target, expected) => {
    const queues = new RecordingQueues();
    await bridge([rule([queueTarget(target)])], queues).putEvent('orders', order);
    expect(JSON.parse(queues.sent[0].body)).toEqual(expected);
  });

  it('sends a selected string as it is', async () => {
    const queues = new RecordingQueues();
    await bridge([rule([queueTarget({ inputPath: "$.detail['id']" })])], queues).putEvent('orders', order);
    expect(queues.sent[0].body).toBe('o-1');
  });

  it('refuses a target InputPath it cannot evaluate at start-up', () => {
    expect(() => bridge([rule([queueTarget({ inputPath: '$.items[*]' })])], new RecordingQueues())).toThrow(
      'Rule orders-rule, target Queue: InputPath $.items[*] is not a simple JSONPath',
    );
  });

  it('skips disabled rules and rules of other buses', async () => {
    const queues = new RecordingQueues();
    const rules = [
      rule([queueTarget()], { enabled: false }),
      rule([queueTarget()], { eventBusName: 'default' }),
    ];
    await bridge(rules, queues).putEvent('orders', order);
    expect(queues.sent).toEqual([]);
  });

  it('dead-letters state machine events while no Step Functions runner is attached, and delivers once one is', async () => {
    const queues = new RecordingQueues();
    const stateMachineTarget: RuleTargetModel = {
      id: 'Workflow',
      arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:orders',
      kind: 'state-machine',
      deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:orders-dlq',
    };
    const eventBridge = bridge([rule([stateMachineTarget])], queues);
    await eventBridge.putEvent('orders', order);
    expect(queues.sent).toEqual([
      expect.objectContaining({
        queueArn: stateMachineTarget.deadLetterArn,
        attributes: expect.objectContaining({
          ERROR_CODE: { DataType: 'String', StringValue: 'NO_RESOURCE' },
        }),
      }),
    ]);

    const started: string[] = [];
    eventBridge.connectStateMachines({ startExecution: async (arn) => void started.push(arn) });
    await eventBridge.putEvent('orders', order);
    expect(started).toEqual([stateMachineTarget.arn]);
  });

  it('treats StateMachineDoesNotExist as a missing target: no retries', async () => {
    const queues = new RecordingQueues();
    let attempts = 0;
    const eventBridge = new LocalEventBridge({
      eventBuses: [BUS],
      rules: [
        rule([
          { id: 'W', arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:gone', kind: 'state-machine' },
        ]),
      ],
      accountId: '000000000000',
      region: 'us-east-1',
      queues,
      stateMachines: {
        startExecution: async () => {
          attempts += 1;
          throw Object.assign(new Error('State Machine Does Not Exist'), {
            name: 'StateMachineDoesNotExist',
          });
        },
      },
    });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await eventBridge.putEvent('orders', order);
    expect(attempts).toBe(1);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('dropped'));
  });
});

describe('selectJsonPath', () => {
  const value = { detail: { items: [{ sku: 'a' }, { sku: 'b' }], 'odd key': 1 } };
  it.each<[string, unknown]>([
    ['$', value],
    ['$.detail.items[1].sku', 'b'],
    ["$.detail['odd key']", 1],
    ['$.detail.missing', undefined],
  ])('selects %s', (path, expected) => {
    expect(selectJsonPath(value, path)).toEqual(expected);
  });

  it.each(['detail', '$..sku', '$.items[*]'])('refuses %s', (path) => {
    expect(() => selectJsonPath(value, path)).toThrow();
  });
});
