import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SAMPLES, settled, useWholePipeline } from './e2e-stack';

/**
 * The whole pipeline with Pimcore's webhooks sent as Datahub Webhooks send them: the documented body,
 * a bearer token instead of a signature, no delivery id (the worker derives one), drafts included with
 * `versionOnly: true`. The local stack is synthesized with webhookAuth=signed-and-token, as a deployment
 * that accepts Datahub Webhooks is.
 */
const stack = useWholePipeline({ webhookAuth: 'token' });

interface WebhookLine {
  readonly msg: string;
  readonly scheme?: string;
  readonly deliveryId?: string;
  readonly reason?: string;
}

/** The relay processes' webhook log lines, as an operator reads them. */
function webhookLines(): WebhookLine[] {
  const { runDir } = stack();
  return readdirSync(runDir)
    .filter((file) => file.startsWith('relay') && file.endsWith('.log'))
    .flatMap((file) => readFileSync(path.join(runDir, file), 'utf8').split('\n'))
    .filter((line) => line.includes('"webhook '))
    .map((line) => JSON.parse(line) as WebhookLine);
}

describe('the whole pipeline with Datahub Webhooks (token)', () => {
  it('carries the example file to Medusa through token-authenticated webhooks of the documented shape', async () => {
    const outcome = await stack().ingestion(
      await stack().upload(path.join(SAMPLES, 'shein_products.example.json')),
    );
    expect(outcome.status).toBe('SUCCEEDED');

    const state = await settled(stack(), outcome.products);
    expect(state).toMatchObject({ inMedusa: outcome.products.length, deadLettered: [] });
    const accepted = webhookLines().filter((line) => line.msg === 'webhook accepted');
    expect(accepted.length).toBeGreaterThanOrEqual(outcome.products.length);
    for (const line of accepted) {
      expect(line).toMatchObject({
        scheme: 'token',
        deliveryId: expect.stringMatching(/^datahub-[0-9a-f]{40}$/),
      });
    }
  });

  it('ignores a draft: nothing changes in Medusa', async () => {
    const simulator = stack().pimcore.simulator!;
    const [object] = simulator.objects();
    const medusaBefore = stack().medusa.simulator!.products();
    const ignoredBefore = webhookLines().filter((line) => line.msg === 'webhook ignored').length;

    simulator.saveDraft(object.id);
    expect(await stack().settle([], { timeoutMs: 30_000 })).toMatchObject({ missing: [] });

    const ignored = webhookLines().filter((line) => line.msg === 'webhook ignored');
    expect(ignored.slice(ignoredBefore)).toEqual([
      expect.objectContaining({ scheme: 'token', reason: expect.stringContaining('versionOnly') }),
    ]);
    expect(stack().medusa.simulator!.products()).toEqual(medusaBefore);
  });
});
