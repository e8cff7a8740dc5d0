import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CanonicalProduct } from '../../contracts/canonical-product';
import { WholePipeline, type WholePipelineOptions } from '../../local/whole-pipeline/whole-pipeline';
import type { Reconciliation } from '../../local/whole-pipeline/reconcile';
import { pipelineTemplateWithObserver } from '../local/pipeline-template';

export const SAMPLES = path.join(__dirname, '..', '..', 'samples');

/**
 * The whole local stack for one test file: started before its tests, stopped after them (with its
 * run folder, unless E2E_KEEP_LOGS=1 keeps the worker processes' logs for reading). Only REDIS_URL is
 * taken from the environment: a developer's PIMCORE_* / MEDUSA_* must not point the tests at real services.
 */
export function useWholePipeline(options: Partial<WholePipelineOptions> = {}): () => WholePipeline {
  let stack: WholePipeline | undefined;
  beforeAll(async () => {
    stack = await WholePipeline.start({
      templatePath: pipelineTemplateWithObserver(),
      env: { REDIS_URL: process.env.REDIS_URL },
      log: () => undefined,
      ...options,
    });
  }, 180_000);
  afterAll(async () => {
    const keepLogs = process.env.E2E_KEEP_LOGS === '1';
    if (keepLogs && stack) console.error(`e2e: logs kept in ${stack.runDir}`);
    await stack?.stop({ keepLogs });
  }, 60_000);
  return () => {
    if (!stack) throw new Error('the local stack has not started');
    return stack;
  };
}

/** Waits until every product is in Medusa with its content or in a DLQ; fails naming the missing ones. */
export async function settled(
  stack: WholePipeline,
  products: readonly Pick<CanonicalProduct, 'externalId' | 'contentHash' | 'handle'>[],
  timeoutMs = 60_000,
): Promise<Reconciliation> {
  const state = await stack.settle(products, { timeoutMs });
  if (state.missing.length > 0) {
    throw new Error(
      `not in Medusa nor in a DLQ after ${timeoutMs} ms: ${state.missing.join(', ')} ` +
        "(E2E_KEEP_LOGS=1 keeps the workers' logs)",
    );
  }
  return state;
}

/** Writes a file to upload into the stack's run folder (removed with it). */
export function uploadFile(stack: WholePipeline, name: string, content: string): string {
  const folder = path.join(stack.runDir, 'uploads');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  writeFileSync(file, content);
  return file;
}
