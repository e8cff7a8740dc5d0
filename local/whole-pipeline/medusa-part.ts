import { MedusaAdminClient } from '../../nest-worker/src/medusa/medusa-admin-client';
import { medusaEnvSchema } from '../../nest-worker/src/medusa/medusa-config';
import { MedusaSimulator } from '../medusa-simulator';
import { variablesWithPrefix } from './variables';

/** Where one product stands in Medusa. */
export interface MedusaHolding {
  /** Products carrying its externalId: 1 is right, 2 or more is a duplicate. */
  readonly products: number;
  /** The canonical contentHash the relay recorded in the product's metadata. */
  readonly contentHash: string | null;
  /** Epoch ms of its last change, where Medusa reports it. */
  readonly updatedAt?: number;
}

/** The products to look up: Medusa is searched by handle, the externalId is checked. */
export type ProductKey = { readonly externalId: string; readonly handle: string };

export interface MedusaPart {
  /** MEDUSA_* for the worker's relay, other than its secret. */
  readonly env: Readonly<Record<string, string>>;
  /** The worker's ECS secret this Medusa answers to. */
  readonly secrets: { readonly MEDUSA_SECRET_API_KEY: string | undefined };
  readonly simulator?: MedusaSimulator;
  readonly description: string;
  /** What Medusa holds for each of these externalIds (absent: nothing). */
  holdings(products: readonly ProductKey[]): Promise<Map<string, MedusaHolding>>;
  stop(): Promise<void>;
}

export interface MedusaPartOptions {
  /** MEDUSA_BASE_URL (+ credentials, MEDUSA_SALES_CHANNEL_ID) here means a real Medusa. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export async function startMedusaPart(options: MedusaPartOptions): Promise<MedusaPart> {
  if (options.env.MEDUSA_BASE_URL) return configuredMedusa(options.env);
  const simulator = await MedusaSimulator.start();
  return {
    env: { MEDUSA_BASE_URL: simulator.url, MEDUSA_SALES_CHANNEL_ID: simulator.salesChannel.id },
    secrets: { MEDUSA_SECRET_API_KEY: simulator.secretApiKey },
    simulator,
    description: `Medusa simulator at ${simulator.url} (region currency ${simulator.region.currency_code})`,
    holdings: async (products) => {
      const wanted = new Set(products.map((product) => product.externalId));
      const held = new Map<string, MedusaHolding>();
      for (const product of simulator.products()) {
        if (!product.external_id || !wanted.has(product.external_id)) continue;
        const before = held.get(product.external_id);
        held.set(product.external_id, {
          products: (before?.products ?? 0) + 1,
          contentHash: contentHashOf(product.metadata),
          updatedAt: Date.parse(product.updated_at),
        });
      }
      return held;
    },
    stop: () => simulator.stop(),
  };
}

/** A real Medusa: the relay gets the MEDUSA_* variables as given; lookups use the relay's own client. */
function configuredMedusa(env: Readonly<Record<string, string | undefined>>): MedusaPart {
  const { MEDUSA_SECRET_API_KEY, ...settings } = variablesWithPrefix(env, 'MEDUSA_');
  const config = medusaEnvSchema.parse({ ...settings, MEDUSA_SECRET_API_KEY });
  const client = new MedusaAdminClient(config);
  return {
    env: settings,
    secrets: { MEDUSA_SECRET_API_KEY },
    description: `Medusa at ${config.baseUrl}`,
    holdings: async (products) => {
      const held = new Map<string, MedusaHolding>();
      for (const { externalId, handle } of products) {
        const found = await client.findProductByHandle(handle);
        if (found?.external_id === externalId) {
          held.set(externalId, { products: 1, contentHash: contentHashOf(found.metadata) });
        }
      }
      return held;
    },
    stop: async () => {},
  };
}

function contentHashOf(metadata: Record<string, unknown> | null | undefined): string | null {
  const hash = metadata?.content_hash;
  return typeof hash === 'string' ? hash : null;
}
