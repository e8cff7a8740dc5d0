import { PimcoreSimulator } from '../pimcore-simulator';
import { createPimcoreClient, pimcoreEnvSchema, type PimcoreClient } from '../../nest-worker/src/pimcore';
import { variablesWithPrefix } from './variables';

/** Where one product stands in Pimcore. */
export interface PimcoreHolding {
  /** Objects carrying its externalId: 1 is right, 2 or more is a duplicate. */
  readonly objects: number;
  /** Their Pimcore ids (a medusa-sync dead letter names the product by it). */
  readonly pimcoreIds: readonly number[];
  readonly published: boolean;
  readonly contentHash: string | null;
}

export interface PimcorePart {
  /** PIMCORE_* for the worker. */
  readonly env: Readonly<Record<string, string>>;
  /** Set when the stack runs the simulator (faults and publication are then in its hands). */
  readonly simulator?: PimcoreSimulator;
  readonly description: string;
  /** What Pimcore holds for each of these externalIds (absent: nothing). */
  holdings(externalIds: readonly string[]): Promise<Map<string, PimcoreHolding>>;
  stop(): Promise<void>;
}

export interface PimcorePartOptions {
  /** PIMCORE_BASE_URL (+ PIMCORE_API_KEY, …) here means a real Pimcore; otherwise the simulator runs. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The simulator creates every object published (a Pimcore with an auto-publish rule). */
  readonly autoPublish: boolean;
}

export async function startPimcorePart(options: PimcorePartOptions): Promise<PimcorePart> {
  if (options.env.PIMCORE_BASE_URL) return configuredPimcore(options.env);
  const simulator = await PimcoreSimulator.start({ autoPublish: options.autoPublish });
  return {
    env: {
      PIMCORE_BASE_URL: simulator.url,
      PIMCORE_API_KEY: simulator.apiKey,
      PIMCORE_DATAHUB_ENDPOINT: simulator.endpoint,
    },
    simulator,
    description: `Pimcore simulator at ${simulator.url} (auto-publish ${options.autoPublish ? 'on' : 'off'})`,
    holdings: async (externalIds) => {
      const wanted = new Set(externalIds);
      const held = new Map<string, PimcoreHolding>();
      for (const object of simulator.objects()) {
        const externalId = object.values.externalId;
        if (!externalId || !wanted.has(externalId)) continue;
        const before = held.get(externalId);
        held.set(externalId, {
          objects: (before?.objects ?? 0) + 1,
          pimcoreIds: [...(before?.pimcoreIds ?? []), object.id],
          published: object.published,
          contentHash: object.values.contentHash ?? null,
        });
      }
      return held;
    },
    stop: () => simulator.stop(),
  };
}

/** A real Pimcore: the worker gets the PIMCORE_* variables as given; lookups go through its own client. */
function configuredPimcore(env: Readonly<Record<string, string | undefined>>): PimcorePart {
  const passed = variablesWithPrefix(env, 'PIMCORE_');
  const config = pimcoreEnvSchema.parse(passed);
  let client: PimcoreClient | undefined;
  return {
    env: passed,
    description: `Pimcore at ${config.baseUrl} (publication reaches the worker through its own webhook)`,
    holdings: async (externalIds) => {
      client ??= createPimcoreClient(config);
      const held = new Map<string, PimcoreHolding>();
      for (const externalId of externalIds) {
        const found = await client.findByExternalId(externalId);
        if (found)
          held.set(externalId, {
            objects: 1,
            pimcoreIds: [found.pimcoreId],
            published: found.published,
            contentHash: found.contentHash,
          });
      }
      return held;
    },
    stop: async () => {
      await client?.close();
    },
  };
}
