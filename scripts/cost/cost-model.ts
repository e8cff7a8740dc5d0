import { DEFAULT_PREFETCH } from '../../nest-worker/src/config/worker-config';
import type { Assumptions } from './assumptions';
import { BILLING_CHUNK_BYTES, type EventSizes } from './event-sizes';
import type { IngestionSample } from './measure-ingestion';
import type { ServiceSample, WorkerSample } from './measure-worker';
import type { PriceList, PriceName } from './prices';
import type { FunctionFacts, TemplateFacts } from './template-facts';

export type Leg = 'ingestion' | 'relay';

export interface CostLine {
  readonly leg: Leg;
  readonly service: string;
  readonly item: string;
  readonly quantity: number;
  readonly price: PriceName;
  readonly cost: number;
}

export interface FixedLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly monthly: number;
}

export interface CostInputs {
  readonly facts: TemplateFacts;
  readonly prices: PriceList;
  readonly ingestion: IngestionSample;
  readonly worker: WorkerSample;
  readonly assumptions: Assumptions;
}

const GB = 1e9;
const DAYS_PER_MONTH = 730 / 24;

/** The variable cost of `products` products, line by line, and what the stack costs a month standing. */
export function costOf(products: number, inputs: CostInputs): { lines: CostLine[]; fixed: FixedLine[] } {
  return {
    lines: [...ingestionLeg(products, inputs), ...relayLeg(products, inputs)],
    fixed: fixedMonthly(inputs),
  };
}

function ingestionLeg(products: number, inputs: CostInputs): CostLine[] {
  const { facts, ingestion: sample, worker, assumptions: a, prices } = inputs;
  const line = lineMaker('ingestion', prices);
  const { shape } = facts.stateMachine;
  const { map } = shape;
  const ingestions = products / a.productsPerFile;
  const batches = products / facts.stagingBatchSize;
  const children = batches / map.batchesPerChild;
  const lines: CostLine[] = [];

  // Step Functions: the parent's transitions; children by their own execution type.
  const express = facts.stateMachine.type === 'EXPRESS';
  const inlineTransitions = map.mode === 'INLINE' ? children * map.statesPerChild : 0;
  const distributedParent = map.mode === 'DISTRIBUTED' ? children * a.parentTransitionsPerChild : 0;
  const childStandard = map.childExecutionType === 'STANDARD' ? children * map.statesPerChild : 0;
  if (!express) {
    const transitions =
      ingestions * shape.statesOutsideMap + inlineTransitions + distributedParent + childStandard;
    lines.push(
      line('Step Functions', 'state transitions (Standard)', transitions, 'stepFunctionsStandardTransition'),
    );
  }
  const functionDurationMs = (fn: FunctionFacts, count: { ingestions: number; batches: number }) =>
    lambdaDurationMs(fn, count, products * (count.batches / batches || 0), inputs);
  const childFunctions = map.lambdaTasksPerChild.map((arn) => functionOf(facts, arn));
  if (map.childExecutionType === 'EXPRESS') {
    const perChildMs = childFunctions.reduce(
      (total, fn) =>
        total + functionDurationMs(fn, { ingestions: 0, batches: map.batchesPerChild }) / map.batchesPerChild,
      0,
    );
    // Billed per 100 ms, rounded up, for each child.
    const billedSeconds = (Math.ceil(perChildMs / 100) * 100) / 1000;
    lines.push(line('Step Functions', 'Express child workflows', children, 'stepFunctionsExpressRequest'));
    lines.push(
      line(
        'Step Functions',
        'Express duration (64 MB)',
        children * billedSeconds * a.expressChildMemoryGb,
        'stepFunctionsExpressGbSecond',
      ),
    );
  }
  if (facts.stateMachine.tracing) {
    const traces = ingestions + (map.mode === 'DISTRIBUTED' ? children : 0);
    lines.push(line('X-Ray', 'traces of executions', traces, 'xrayTraceRecorded'));
  }

  // Lambda: invocations and GB-seconds of each function the workflow calls.
  const calls = [
    ...shape.lambdaTasksOutsideMap.map((arn) => ({
      fn: functionOf(facts, arn),
      invocations: ingestions,
      work: { ingestions, batches: 0 },
    })),
    ...childFunctions.map((fn) => ({ fn, invocations: children, work: { ingestions: 0, batches } })),
  ];
  let lambdaLogBytes = 0;
  for (const { fn, invocations, work } of calls) {
    const seconds = functionDurationMs(fn, work) / 1000;
    const rate: PriceName = fn.arm64 ? 'lambdaGbSecondArm64' : 'lambdaGbSecondX86';
    lines.push(line('Lambda', `${fn.name} invocations`, invocations, 'lambdaRequest'));
    lines.push(
      line('Lambda', `${fn.name} compute (${fn.memoryMb} MB)`, seconds * (fn.memoryMb / 1024), rate),
    );
    const perInvocation =
      (['DEBUG', 'TRACE', 'INFO'].includes(fn.logLevel) ? a.lambdaAppLogBytesAtInfo : 0) +
      (fn.platformLogs ? a.lambdaPlatformLogBytes : 0) +
      3 * a.logEventOverheadBytes;
    lambdaLogBytes += invocations * perInvocation;
  }

  // S3: per batch Validate PUTs it, Transform GETs and PUTs, Publish GETs; per ingestion the upload, its
  // read, the rejects report, the summary (and the manifest, item read and results of a Distributed Map).
  const distributedPuts = (map.readsItemsFromS3 ? 1 : 0) + (map.writesResultsToS3 ? 2 : 0);
  const distributedGets = (map.readsItemsFromS3 ? 1 : 0) + (map.writesResultsToS3 ? 1 : 0);
  lines.push(line('S3', 'PUT requests', batches * 2 + ingestions * (3 + distributedPuts), 's3PutRequest'));
  lines.push(line('S3', 'GET requests', batches * 2 + ingestions * (2 + distributedGets), 's3GetRequest'));
  const stagingMonths = (facts.expirationDays['staging/'] ?? DAYS_PER_MONTH) / DAYS_PER_MONTH;
  const uploadMonths = (facts.expirationDays['incoming/'] ?? DAYS_PER_MONTH) / DAYS_PER_MONTH;
  const stagedGb = (products * (sample.stagedBytesPerProduct + sample.canonicalBytesPerProduct)) / GB;
  lines.push(
    line(
      'S3',
      `storage: uploads (${describeDays(facts.expirationDays['incoming/'])}), staging (${describeDays(facts.expirationDays['staging/'])})`,
      stagedGb * stagingMonths + ((products * sample.uploadBytesPerProduct) / GB) * uploadMonths,
      's3StorageGbMonth',
    ),
  );

  // EventBridge: ProductIngested (and one IngestionCompleted per upload) on the products bus.
  const ingested = sample.productIngested;
  lines.push(
    line(
      'EventBridge',
      'ProductIngested + IngestionCompleted events',
      products * ingested.chunksPerEvent + ingestions,
      'eventBridgeCustomEvent',
    ),
  );
  lines.push(
    ...archiveLines(line, facts, 'product-pipeline.ingestion', (products * ingested.envelopeBytes) / GB),
  );

  // SQS product-ingest: EventBridge sends, the worker receives, deletes, hands back.
  const ingestService = serviceFor(facts, 'product-ingest');
  lines.push(...queueLines(line, products, 1, ingested, worker.ingest, ingestService.environment, a));

  // CloudWatch Logs: the Lambdas', the state machine's and the ingest worker's.
  const sfnLogBytes = stepFunctionsLogBytes(facts, ingestions, children, a);
  const lambdaRetention = Math.max(...calls.map(({ fn }) => fn.logRetentionDays));
  lines.push(...logLines(line, 'Lambda', lambdaLogBytes, lambdaRetention));
  lines.push(...logLines(line, 'state machine', sfnLogBytes, facts.stateMachine.logRetentionDays));
  const ingestLogBytes =
    products * (worker.ingest.logBytes + worker.ingest.logEvents * a.logEventOverheadBytes);
  lines.push(...logLines(line, 'worker (ingest)', ingestLogBytes, ingestService.logRetentionDays));

  // NAT: what the ingest tasks send and receive through it (no VPC endpoints): messages, logs, Pimcore.
  if (facts.standing.natGateways > 0) {
    const bytes = products * (ingested.envelopeBytes + sample.canonicalBytesPerProduct) + ingestLogBytes;
    lines.push(line('VPC', 'NAT gateway data (queue, logs, Pimcore write)', bytes / GB, 'natGatewayGb'));
  }
  return lines;
}

function relayLeg(products: number, inputs: CostInputs): CostLine[] {
  const { facts, ingestion: sample, worker, assumptions: a, prices } = inputs;
  const line = lineMaker('relay', prices);
  const published = worker.productPublished;
  const events = products * worker.relay.eventsPut;
  const relayService = serviceFor(facts, 'medusa-sync');
  const lines: CostLine[] = [];
  if (facts.standing.webAcls > 0)
    lines.push(
      line('WAF', 'webhook requests inspected', products * worker.relay.webhookRequests, 'wafRequest'),
    );
  lines.push(
    line(
      'EventBridge',
      'ProductPublished events',
      events * published.chunksPerEvent,
      'eventBridgeCustomEvent',
    ),
  );
  lines.push(
    ...archiveLines(line, facts, 'product-pipeline.pimcore', (events * published.envelopeBytes) / GB),
  );
  lines.push(
    ...queueLines(
      line,
      products,
      worker.relay.eventsPut,
      published,
      worker.relay,
      relayService.environment,
      a,
    ),
  );
  const relayLogBytes = products * (worker.relay.logBytes + worker.relay.logEvents * a.logEventOverheadBytes);
  lines.push(...logLines(line, 'worker (relay)', relayLogBytes, relayService.logRetentionDays));
  if (facts.standing.natGateways > 0) {
    const downstream = (a.downstreamTripsPerProduct - 1) * sample.canonicalBytesPerProduct;
    const bytes = products * downstream + events * published.envelopeBytes + relayLogBytes;
    lines.push(
      line('VPC', 'NAT gateway data (queue, logs, Pimcore read, Medusa write)', bytes / GB, 'natGatewayGb'),
    );
  }
  return lines;
}

type LineMaker = (service: string, item: string, quantity: number, price: PriceName) => CostLine;

function lineMaker(leg: Leg, prices: PriceList): LineMaker {
  return (service, item, quantity, price) => ({
    leg,
    service,
    item,
    quantity,
    price,
    cost: quantity * prices.prices[price].usd,
  });
}

/**
 * A Lambda's billed duration for some work: its code's time on a full core (measured), stretched by the
 * share of a vCPU its memory buys, plus the waits for S3 and EventBridge (assumed).
 */
function lambdaDurationMs(
  fn: FunctionFacts,
  work: { readonly ingestions: number; readonly batches: number },
  products: number,
  { facts, ingestion: sample, assumptions: a }: CostInputs,
): number {
  const cpuScale = Math.max(1, a.fullVcpuMemoryMb / fn.memoryMb);
  switch (fn.name) {
    case 'Validate': {
      // The upload's GET, then a PUT per staged batch, each awaited in turn.
      const perIngestionProducts = work.ingestions * a.productsPerFile;
      const batches = perIngestionProducts / facts.stagingBatchSize;
      return (
        perIngestionProducts * sample.cpuMsPerProduct.Validate * cpuScale +
        (batches + work.ingestions) * a.s3RequestMs
      );
    }
    case 'Transform':
      return products * sample.cpuMsPerProduct.Transform * cpuScale + work.batches * 2 * a.s3RequestMs;
    case 'Publish':
      return (
        products * sample.cpuMsPerProduct.Publish * cpuScale +
        work.batches * a.s3RequestMs +
        products * sample.putEventsCallsPerProduct * a.putEventsMs
      );
    case 'Summarize':
      return work.ingestions * a.summarizeMs;
    default:
      throw new Error(`the workflow calls ${fn.name}, which the cost model has no measurement of`);
  }
}

/** History events a success writes to the log at level ALL: two per state, three more per Task. */
function stepFunctionsLogBytes(
  facts: TemplateFacts,
  ingestions: number,
  children: number,
  a: Assumptions,
): number {
  const machine = facts.stateMachine;
  if (machine.logLevel !== 'ALL') return 0;
  const { shape } = machine;
  const eventsOf = (states: number, tasks: number) => states * 2 + tasks * 3;
  const events =
    ingestions * (2 + eventsOf(shape.statesOutsideMap, shape.lambdaTasksOutsideMap.length) + 2) +
    children * (2 + eventsOf(shape.map.statesPerChild, shape.map.lambdaTasksPerChild.length));
  const perEvent =
    a.stepFunctionsLogEventBytes + (machine.includeExecutionData ? a.stepFunctionsExecutionDataBytes : 0);
  return events * (perEvent + a.logEventOverheadBytes);
}

/**
 * One work queue: the rule's SendMessage per event, the worker's receives (each delivery, hand-backs
 * included, is received once), one delete batch per receive, and a visibility change per hand-back.
 */
function queueLines(
  line: LineMaker,
  products: number,
  messagesPerProduct: number,
  sizes: EventSizes,
  measured: ServiceSample,
  environment: Readonly<Record<string, string>>,
  a: Assumptions,
): CostLine[] {
  // The worker's receive batch: half its prefetch, 1 to 10 (nest-worker/src/queue/queue-consumer.ts).
  const prefetch = Number(environment.WORKER_PREFETCH ?? DEFAULT_PREFETCH);
  const perReceive = Math.min(10, Math.max(1, Math.ceil(prefetch / 2)));
  const messages = products * messagesPerProduct;
  const deliveries = products * Math.max(measured.deliveries, messagesPerProduct);
  const receiveChunks = Math.ceil((perReceive * sizes.envelopeBytes) / BILLING_CHUNK_BYTES);
  const queue = environment.WORKER_CONSUMERS ?? 'queue';
  return [
    line('SQS', `${queue}: SendMessage by the rule`, messages * sizes.messageChunks, 'sqsStandardRequest'),
    line(
      'SQS',
      `${queue}: ReceiveMessage (${perReceive} a call)`,
      (deliveries / perReceive) * receiveChunks,
      'sqsStandardRequest',
    ),
    line(
      'SQS',
      `${queue}: DeleteMessageBatch`,
      (deliveries / perReceive) * a.deletesPerReceive,
      'sqsStandardRequest',
    ),
    line(
      'SQS',
      `${queue}: ChangeMessageVisibility (hand-backs)`,
      products * measured.handedBack,
      'sqsStandardRequest',
    ),
  ];
}

function archiveLines(line: LineMaker, facts: TemplateFacts, source: string, gb: number): CostLine[] {
  if (!facts.archive?.sources.includes(source)) return [];
  const months = facts.archive.retentionDays / DAYS_PER_MONTH;
  return [
    line('EventBridge', 'archive: events archived', gb, 'eventBridgeArchiveProcessing'),
    line(
      'EventBridge',
      `archive: storage (${facts.archive.retentionDays} days)`,
      gb * months,
      'eventBridgeArchiveStorage',
    ),
  ];
}

function logLines(line: LineMaker, what: string, bytes: number, retentionDays: number): CostLine[] {
  if (bytes === 0) return [];
  return [
    line('CloudWatch Logs', `${what}: ingestion`, bytes / GB, 'cloudWatchLogsIngestion'),
    line(
      'CloudWatch Logs',
      `${what}: storage (${retentionDays} days)`,
      (bytes / GB) * (retentionDays / DAYS_PER_MONTH),
      'cloudWatchLogsStorage',
    ),
  ];
}

function fixedMonthly({ facts, prices, assumptions: a }: CostInputs): FixedLine[] {
  const price = (name: PriceName) => prices.prices[name].usd;
  const hours = a.hoursPerMonth;
  const standing = facts.standing;
  const lines: FixedLine[] = facts.workerServices.map((service) => {
    const [cpu, memory] = service.arm64
      ? (['fargateArmVcpuHour', 'fargateArmGbHour'] as const)
      : (['fargateX86VcpuHour', 'fargateX86GbHour'] as const);
    return {
      item: `Fargate ${service.consumers} (${service.vcpu} vCPU, ${service.memoryGb} GB, ${service.arm64 ? 'ARM64' : 'x86'})`,
      quantity: service.tasks,
      unit: 'task',
      monthly: service.tasks * hours * (service.vcpu * price(cpu) + service.memoryGb * price(memory)),
    };
  });
  const longPolls = facts.workerServices.reduce((total, service) => total + service.tasks, 0);
  const cacheGb = standing.serverlessCacheMinimumGb.reduce((total, gb) => total + gb, 0);
  lines.push(
    {
      item: 'NAT gateway',
      quantity: standing.natGateways,
      unit: 'gateway',
      monthly: standing.natGateways * hours * price('natGatewayHour'),
    },
    {
      item: 'Application Load Balancer (LCUs extra)',
      quantity: standing.loadBalancers,
      unit: 'ALB',
      monthly: standing.loadBalancers * hours * price('albHour'),
    },
    {
      item: `AWS WAF (web ACL + ${standing.webAclRules} rules)`,
      quantity: standing.webAcls,
      unit: 'web ACL',
      monthly: standing.webAcls * price('wafWebAclMonth') + standing.webAclRules * price('wafRuleMonth'),
    },
    {
      item: 'ElastiCache Serverless Valkey (minimum storage)',
      quantity: cacheGb,
      unit: 'GB',
      monthly: cacheGb * hours * price('elastiCacheServerlessValkeyGbHour'),
    },
    {
      item: 'Secrets Manager secrets',
      quantity: standing.secrets,
      unit: 'secret',
      monthly: standing.secrets * price('secretsManagerSecretMonth'),
    },
    {
      item: 'CloudWatch alarms',
      quantity: standing.alarmMetrics,
      unit: 'alarm metric',
      monthly: standing.alarmMetrics * price('cloudWatchAlarmMetricMonth'),
    },
    {
      item: 'CloudWatch dashboards',
      quantity: standing.dashboards,
      unit: 'dashboard',
      monthly: standing.dashboards * price('cloudWatchDashboardMonth'),
    },
    {
      item: 'custom metrics (worker metric filters, Lambda EMF)',
      quantity: standing.metricFilters + a.lambdaCustomMetrics,
      unit: 'metric',
      monthly: (standing.metricFilters + a.lambdaCustomMetrics) * price('cloudWatchCustomMetricMonth'),
    },
    {
      item: 'KMS keys',
      quantity: standing.kmsKeys,
      unit: 'key',
      monthly: standing.kmsKeys * price('kmsKeyMonth'),
    },
    {
      item: 'VPC interface endpoints',
      quantity: standing.interfaceEndpointAzs,
      unit: 'endpoint-AZ',
      monthly: standing.interfaceEndpointAzs * hours * price('vpcInterfaceEndpointHour'),
    },
    // An idle consumer long-polls: one empty receive per 20 s wait, per task.
    {
      item: 'SQS empty long polls (20 s)',
      quantity: longPolls,
      unit: 'task',
      monthly: longPolls * ((hours * 3600) / 20) * price('sqsStandardRequest'),
    },
  );
  return lines.filter((fixed) => fixed.quantity > 0);
}

function functionOf(facts: TemplateFacts, arn: string): FunctionFacts {
  const fn = facts.functions.find((candidate) => candidate.arn === arn);
  if (!fn) throw new Error(`the state machine calls ${arn}, which is not a function of the template`);
  return fn;
}

function serviceFor(facts: TemplateFacts, consumer: string) {
  const service = facts.workerServices.find((candidate) => candidate.consumers.split(',').includes(consumer));
  if (!service) throw new Error(`no ECS service of the template runs the ${consumer} consumer`);
  return service;
}

function describeDays(days: number | undefined): string {
  return days === undefined ? 'no expiry: one month shown' : `${days} days`;
}
