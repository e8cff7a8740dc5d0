import { sqsErrors } from './sqs-errors';

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

/** A standard queue's configuration, as set by CreateQueue / SetQueueAttributes. */
export interface QueueSettings {
  readonly delaySeconds: number;
  readonly maximumMessageSize: number;
  readonly messageRetentionPeriod: number;
  readonly receiveMessageWaitTimeSeconds: number;
  readonly visibilityTimeout: number;
  readonly redrivePolicy?: RedrivePolicy;
  /** Attributes that are kept and reported but change nothing locally (policies, encryption). */
  readonly stored: Readonly<Record<string, string>>;
}

/** Ranges and defaults from the CreateQueue API reference (1 MiB maximum message size since 2025). */
const NUMERIC_ATTRIBUTES = {
  DelaySeconds: { key: 'delaySeconds', min: 0, max: 900 },
  MaximumMessageSize: { key: 'maximumMessageSize', min: 1024, max: 1_048_576 },
  MessageRetentionPeriod: { key: 'messageRetentionPeriod', min: 60, max: 1_209_600 },
  ReceiveMessageWaitTimeSeconds: { key: 'receiveMessageWaitTimeSeconds', min: 0, max: 20 },
  VisibilityTimeout: { key: 'visibilityTimeout', min: 0, max: 43_200 },
} as const;

const STORED_ATTRIBUTES = [
  'Policy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
];
const FIFO_ATTRIBUTES = [
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

/** Attribute names a queue may have no value for (GetQueueAttributes accepts them all the same). */
export const OPTIONAL_ATTRIBUTE_NAMES = ['RedrivePolicy', ...STORED_ATTRIBUTES, ...FIFO_ATTRIBUTES];

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  delaySeconds: 0,
  maximumMessageSize: 1_048_576,
  messageRetentionPeriod: 345_600,
  receiveMessageWaitTimeSeconds: 0,
  visibilityTimeout: 30,
  stored: { SqsManagedSseEnabled: 'true' },
};

/** `settings` with `attributes` applied; throws the SQS error for an unknown name or a bad value. */
export function applyQueueAttributes(
  settings: QueueSettings,
  attributes: Record<string, string>,
): QueueSettings {
  let next: QueueSettings = settings;
  for (const [name, value] of Object.entries(attributes)) {
    if (Object.hasOwn(NUMERIC_ATTRIBUTES, name)) {
      const spec = NUMERIC_ATTRIBUTES[name as keyof typeof NUMERIC_ATTRIBUTES];
      next = { ...next, [spec.key]: integerIn(name, value, spec.min, spec.max) };
    } else if (name === 'RedrivePolicy') {
      next = { ...next, redrivePolicy: value === '' ? undefined : parseRedrivePolicy(value) };
    } else if (STORED_ATTRIBUTES.includes(name)) {
      next = { ...next, stored: { ...next.stored, [name]: value } };
    } else if (FIFO_ATTRIBUTES.includes(name)) {
      throw sqsErrors.unsupportedOperation('FIFO queues are not emulated by the local SQS.');
    } else {
      throw sqsErrors.invalidAttributeName(name);
    }
  }
  return next;
}

/** The configuration attributes as GetQueueAttributes reports them. */
export function queueSettingsToAttributes(settings: QueueSettings): Record<string, string> {
  const attributes: Record<string, string> = {
    DelaySeconds: String(settings.delaySeconds),
    MaximumMessageSize: String(settings.maximumMessageSize),
    MessageRetentionPeriod: String(settings.messageRetentionPeriod),
    ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
    VisibilityTimeout: String(settings.visibilityTimeout),
    ...settings.stored,
  };
  if (settings.redrivePolicy) attributes.RedrivePolicy = JSON.stringify(settings.redrivePolicy);
  return attributes;
}

function integerIn(name: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw sqsErrors.invalidAttributeValue(name, `must be an integer between ${min} and ${max}.`);
  }
  return number;
}

function parseRedrivePolicy(value: string): RedrivePolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw sqsErrors.invalidAttributeValue('RedrivePolicy', 'Redrive policy is not a valid JSON map.');
  }
  const policy = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  if (typeof policy?.deadLetterTargetArn !== 'string') {
    throw sqsErrors.invalidAttributeValue(
      'RedrivePolicy',
      'Redrive policy does not contain deadLetterTargetArn.',
    );
  }
  const maxReceiveCount = Number(policy.maxReceiveCount);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    throw sqsErrors.invalidAttributeValue(
      'RedrivePolicy',
      'maxReceiveCount must be an integer between 1 and 1000.',
    );
  }
  return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount };
}
