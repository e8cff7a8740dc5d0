import { PimcoreSimulator } from '../../local/pimcore';
import { startSqsServer } from '../../local/sqs/sqs-server';

/**
 * The benchmark's downstream services in a process of their own (forked by bench-environment.ts): the
 * project's SQS endpoint and the Pimcore simulator with a fixed latency per request. Run apart from the
 * consumer, as SQS and Pimcore are in production, so their CPU does not count against it.
 */

export interface ServicesReady {
  readonly kind: 'ready';
  readonly sqsEndpoint: string;
  readonly pimcore: { readonly url: string; readonly apiKey: string; readonly endpoint: string };
}
export interface ObjectCount {
  readonly kind: 'object-count';
  readonly count: number;
}
export type ServicesRequest = 'count-objects' | 'stop';

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2]);
  const sqs = await startSqsServer();
  const pimcore = await PimcoreSimulator.start();
  pimcore.setLatency(latencyMs);
  process.on('message', (request: ServicesRequest) => {
    if (request === 'count-objects') {
      const answer: ObjectCount = { kind: 'object-count', count: pimcore.count() };
      process.send?.(answer);
      return;
    }
    void Promise.all([pimcore.stop(), sqs.close()]).then(() => process.disconnect());
  });
  const ready: ServicesReady = {
    kind: 'ready',
    sqsEndpoint: sqs.endpoint,
    pimcore: { url: pimcore.url, apiKey: pimcore.apiKey, endpoint: pimcore.endpoint },
  };
  process.send?.(ready);
}

void main();
