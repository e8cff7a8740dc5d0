import { PimcoreSimulator } from '../../local/pimcore-simulator';
import { startSqsServer } from '../../local/sqs/sqs-server';

/**
 * One of the benchmark's downstream services in a process of its own (forked by bench-environment.ts):
 * the project's SQS endpoint, or the Pimcore simulator with a fixed latency per request. Each runs apart
 * from the consumer and from the other, as SQS and Pimcore do in production (other machines), so
 * neither's CPU counts against the consumer nor delays the other's answers.
 */

export const SERVICES = ['sqs', 'pimcore'] as const;
export type Service = (typeof SERVICES)[number];

export interface SqsReady {
  readonly kind: 'sqs-ready';
  readonly sqsEndpoint: string;
}
export interface PimcoreReady {
  readonly kind: 'pimcore-ready';
  readonly pimcore: { readonly url: string; readonly apiKey: string; readonly endpoint: string };
}
export interface ObjectCount {
  readonly kind: 'object-count';
  readonly count: number;
}
/** count-objects: Pimcore only. */
export type ServicesRequest = 'count-objects' | 'stop';

async function startSqs(): Promise<() => Promise<void>> {
  const sqs = await startSqsServer();
  const ready: SqsReady = { kind: 'sqs-ready', sqsEndpoint: sqs.endpoint };
  process.send?.(ready);
  return () => sqs.close();
}

async function startPimcore(latencyMs: number): Promise<() => Promise<void>> {
  const pimcore = await PimcoreSimulator.start();
  pimcore.setLatency(latencyMs);
  process.on('message', (request: ServicesRequest) => {
    if (request !== 'count-objects') return;
    const answer: ObjectCount = { kind: 'object-count', count: pimcore.count() };
    process.send?.(answer);
  });
  const ready: PimcoreReady = {
    kind: 'pimcore-ready',
    pimcore: { url: pimcore.url, apiKey: pimcore.apiKey, endpoint: pimcore.endpoint },
  };
  process.send?.(ready);
  return () => pimcore.stop();
}

async function main(): Promise<void> {
  const [service, latency] = process.argv.slice(2);
  const stop = service === 'sqs' ? await startSqs() : await startPimcore(Number(latency));
  process.on('message', (request: ServicesRequest) => {
    if (request === 'stop') void stop().then(() => process.disconnect());
  });
}

void main();
