import { MedusaSimulator, type Product } from '../medusa';

/** Where one product stands in Medusa. */
export interface MedusaHolding {
  /** Products carrying its externalId: 1 is right, 2 or more is a duplicate. */
  readonly products: number;
  readonly product: Product;
}

export interface MedusaPart {
  /** MEDUSA_* for the worker's relay. */
  readonly env: Readonly<Record<string, string>>;
  readonly simulator?: MedusaSimulator;
  readonly description: string;
  /** What Medusa holds for each of these externalIds (absent: nothing). */
  holdings(externalIds: readonly string[]): Promise<Map<string, MedusaHolding>>;
  stop(): Promise<void>;
}

export interface MedusaPartOptions {
  /** MEDUSA_BASE_URL (+ credentials, MEDUSA_SALES_CHANNEL_ID) here means a real Medusa. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export async function startMedusaPart(options: MedusaPartOptions): Promise<MedusaPart> {
  if (options.env.MEDUSA_BASE_URL) {
    throw new Error(
      'MEDUSA_BASE_URL is set: counting products in a real Medusa is not supported by the local stack yet; ' +
        'unset it to run the Medusa simulator',
    );
  }
  const simulator = await MedusaSimulator.start();
  return {
    env: {
      MEDUSA_BASE_URL: simulator.url,
      MEDUSA_SECRET_API_KEY: simulator.secretApiKey,
      MEDUSA_SALES_CHANNEL_ID: simulator.salesChannel.id,
      MEDUSA_CURRENCIES: simulator.region.currency_code,
    },
    simulator,
    description: `Medusa simulator at ${simulator.url} (region currency ${simulator.region.currency_code})`,
    holdings: async (externalIds) => {
      const wanted = new Set(externalIds);
      const held = new Map<string, MedusaHolding>();
      for (const product of simulator.products()) {
        if (!product.external_id || !wanted.has(product.external_id)) continue;
        const before = held.get(product.external_id);
        held.set(product.external_id, { products: (before?.products ?? 0) + 1, product });
      }
      return held;
    },
    stop: () => simulator.stop(),
  };
}
