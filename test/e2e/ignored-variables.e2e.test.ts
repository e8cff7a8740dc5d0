import * as path from 'node:path';
import { WholePipeline } from '../../local/whole-pipeline/whole-pipeline';
import { synthesizeTemplate } from '../local/synthesized-template';
import { SAMPLES, settled } from './e2e-stack';

/**
 * A Pimcore secret given without PIMCORE_BASE_URL: the simulator runs with its own webhook secret, shared
 * with the worker. The variable is named as ignored at start, and the webhook still reaches Medusa (it
 * used to reach the worker alone, and every webhook was refused in silence). Its own file: one local
 * runtime per process.
 */
it('names PIMCORE_* given without PIMCORE_BASE_URL as ignored, and the flow still reaches Medusa', async () => {
  const lines: string[] = [];
  const stack = await WholePipeline.start({
    templatePath: synthesizeTemplate(),
    env: { REDIS_URL: process.env.REDIS_URL, PIMCORE_WEBHOOK_SECRETS: 'x'.repeat(40) },
    log: (line) => lines.push(line),
  });
  try {
    expect(lines).toContain(
      'PIMCORE_WEBHOOK_SECRETS ignored: PIMCORE_BASE_URL is not set, so the Pimcore simulator runs with ' +
        'values of its own, shared with the worker',
    );
    const outcome = await stack.ingestion(
      await stack.upload(path.join(SAMPLES, 'shein_products.example.json')),
    );
    const state = await settled(stack, outcome.products);
    expect(state).toMatchObject({ inMedusa: outcome.products.length, deadLettered: [] });
  } finally {
    await stack.stop();
  }
}, 180_000);
