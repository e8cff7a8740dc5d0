import * as path from 'node:path';
import { request } from 'undici';
import { waitFor } from '../../local/whole-pipeline/wait';
import { runCli, writeEnvFile } from '../scripts/pipeline-cli/run-cli';
import { SAMPLES, settled, useWholePipeline } from './e2e-stack';

/**
 * `npx pipeline trace | replay | reconcile` against the whole local stack, with the env file
 * `npm run local` writes (stack.operatorEnvironment): the worker processes, the simulators, Redis.
 */
const stack = useWholePipeline();
let envFile: string;
const cli = (...args: string[]) => runCli([...args, '--env-file', envFile]);

interface ReconcileJson {
  drift: { kind: string; externalId: string; medusaId?: string; repair?: { detailType: string } }[];
  repairs?: { sent: number; failed: unknown[] };
}

/** What the worker's processes logged as settled messages with this outcome. */
const settledLines = (outcome: string) =>
  stack()
    .services.flatMap((service) => service.replicas.flatMap((replica) => replica.logLines()))
    .filter((line) => line.queue !== undefined && line.outcome === outcome);

let ingestionId: string;
let externalIds: string[];
let startedAt: Date;

beforeAll(async () => {
  envFile = writeEnvFile(stack().runDir, stack().operatorEnvironment);
  startedAt = new Date(Date.now() - 1000);
  const outcome = await stack().ingestion(
    await stack().upload(path.join(SAMPLES, 'shein_products.example.json')),
  );
  expect(outcome.status).toBe('SUCCEEDED');
  await settled(stack(), outcome.products);
  ingestionId = outcome.ingestionId;
  externalIds = outcome.products.map((product) => product.externalId);
}, 180_000);

describe('npx pipeline against the whole local stack', () => {
  it('trace follows a product of the example file from its ingestion to Medusa', async () => {
    const goodsId = externalIds[0].replace(/^shein:/, '');
    const run = await cli('trace', goodsId, '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout);
    const pimcoreId = report.pimcore.value.pimcoreId as number;
    expect(report).toMatchObject({
      externalId: externalIds[0],
      ingestions: {
        value: { found: [{ ingestionId, status: 'SUCCEEDED', product: { externalId: externalIds[0] } }] },
      },
      pimcore: { value: { published: true, handle: expect.any(String) } },
      ledger: {
        value: {
          pimcore: { appliedAs: String(pimcoreId) },
          medusa: { appliedAs: expect.stringMatching(/^prod_/) },
        },
      },
      medusa: {
        value: {
          status: 'published',
          externalId: externalIds[0],
          variants: expect.arrayContaining([
            expect.objectContaining({ prices: expect.stringMatching(/^\d+(\.\d+)? [A-Z]{3}/) }),
          ]),
        },
      },
      deadLetters: { value: [] },
    });
    expect(report.medusa.value.medusaId).toBe(report.ledger.value.medusa.appliedAs);

    const human = await cli('trace', externalIds[0]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`${ingestionId} (SUCCEEDED`);
    expect(human.stdout).toContain(`object ${pimcoreId} `);
  });

  it('reconcile finds no drift in a settled pipeline', async () => {
    const run = await cli('reconcile');
    expect(run.stdout).toContain('No drift');
    expect(run.code).toBe(0);
  });

  it('a replay re-delivers the window’s events and nothing is duplicated downstream', async () => {
    const medusa = stack().medusa.simulator!;
    const pimcore = stack().pimcore.simulator!;
    const before = {
      medusa: medusa.products().map((product) => [product.id, product.updated_at]),
      pimcore: pimcore.objects().map((object) => [object.id, object.version]),
    };
    const duplicatesBefore = settledLines('duplicate').length;

    const run = await cli('replay', '--from', startedAt.toISOString(), '--to', 'now', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'COMPLETED' });
    // Each product's ProductIngested and ProductPublished came again and were recognised as applied.
    await waitFor(
      'the replayed events were settled',
      () => settledLines('duplicate').length - duplicatesBefore >= 2 * externalIds.length,
      60_000,
    );
    expect(await stack().settle([], { timeoutMs: 30_000 })).toMatchObject({ missing: [] });
    expect(medusa.products().map((product) => [product.id, product.updated_at])).toEqual(before.medusa);
    expect(pimcore.objects().map((object) => [object.id, object.version])).toEqual(before.pimcore);
    expect(await stack().deadLetters.all()).toEqual([]);
  });

  it('reconcile finds a product deleted in Medusa and one unpublished without a webhook, and --fix repairs both', async () => {
    const medusa = stack().medusa.simulator!;
    const pimcore = stack().pimcore.simulator!;
    // From here on Pimcore's changes reach nobody: the webhooks are gone.
    stack().webhooks?.stop();
    const [deleted, unpublished] = externalIds;
    const deletedProduct = medusa.products().find((product) => product.external_id === deleted)!;
    const answer = await request(`${medusa.url}/admin/products/${deletedProduct.id}`, {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from(`${medusa.secretApiKey}:`).toString('base64')}` },
    });
    expect(answer.statusCode).toBe(200);
    await answer.body.dump();
    const object = pimcore.objects().find((candidate) => candidate.values.externalId === unpublished)!;
    pimcore.unpublish(object.id);

    const found = await cli('reconcile', '--json');
    expect(found.code).toBe(1);
    const drift = (JSON.parse(found.stdout) as ReconcileJson).drift;
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'missing',
          externalId: deleted,
          repair: expect.objectContaining({ detailType: 'ProductPublished' }),
        }),
        expect.objectContaining({
          kind: 'unpublished',
          externalId: unpublished,
          repair: expect.objectContaining({ detailType: 'ProductUnpublished' }),
        }),
      ]),
    );
    expect(drift).toHaveLength(2);

    const fixed = await cli('reconcile', '--fix', '--json');
    expect(fixed.code).toBe(1);
    expect((JSON.parse(fixed.stdout) as ReconcileJson).repairs).toEqual({ sent: 2, failed: [] });
    await waitFor(
      'the relay applied the repairs',
      () =>
        medusa
          .products()
          .some((product) => product.external_id === deleted && product.status === 'published') &&
        medusa.products().find((product) => product.external_id === unpublished)?.status === 'draft',
      60_000,
    );

    const again = await cli('reconcile');
    expect(again.stdout).toContain('No drift');
    expect(again.code).toBe(0);
    expect(medusa.products().filter((product) => product.external_id === deleted)).toHaveLength(1);
  });
});
