import { randomBytes } from 'node:crypto';
import { PimcoreSimulator, PimcoreWebhookSender, type WebhookSenderOptions } from '../pimcore-simulator';
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

/** How the simulator's webhooks are sent, but where to and how they are authenticated. */
export type WebhookOptions = Partial<Omit<WebhookSenderOptions, 'url' | 'auth'>>;

/** The worker's ECS secrets a Pimcore answers to. */
export interface PimcoreSecrets {
  readonly PIMCORE_API_KEY: string | undefined;
  /** What its webhook is signed with. */
  readonly PIMCORE_WEBHOOK_SECRETS: string | undefined;
  /** What its Datahub Webhooks send as their token. */
  readonly PIMCORE_WEBHOOK_TOKENS: string | undefined;
}

/** How the simulator's webhooks authenticate: as the shipped listener, or as Datahub Webhooks. */
export type SimulatedWebhookAuth = 'signed' | 'token';

export interface PimcorePart {
  /** PIMCORE_* for the worker, other than its secrets. */
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: PimcoreSecrets;
  /** Set when the stack runs the simulator (faults and publication are then in its hands). */
  readonly simulator?: PimcoreSimulator;
  /**
   * With the simulator: its webhook sender, posting every event to `url` (asked per request), signed
   * with `secrets.PIMCORE_WEBHOOK_SECRETS` or (`token`) as Datahub Webhooks with a bearer
   * `secrets.PIMCORE_WEBHOOK_TOKENS`: the very values the worker is given.
   */
  sendWebhooks?(url: () => string, options: WebhookOptions, auth: SimulatedWebhookAuth): PimcoreWebhookSender;
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
  const webhookSecret = randomBytes(32).toString('hex');
  const webhookToken = randomBytes(32).toString('hex');
  return {
    env: { PIMCORE_BASE_URL: simulator.url },
    secrets: {
      PIMCORE_API_KEY: simulator.apiKey,
      PIMCORE_WEBHOOK_SECRETS: webhookSecret,
      PIMCORE_WEBHOOK_TOKENS: webhookToken,
    },
    simulator,
    sendWebhooks: (url, senderOptions, scheme) => {
      const auth =
        scheme === 'signed'
          ? ({ scheme: 'signed', secret: webhookSecret } as const)
          : ({ scheme: 'token', token: webhookToken, via: 'bearer' } as const);
      const sender = new PimcoreWebhookSender({ ...senderOptions, url, auth });
      sender.attach(simulator);
      return sender;
    },
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

/**
 * A real Pimcore: the worker gets the PIMCORE_* variables as given, its secrets among them (the webhook
 * secret is the one that Pimcore signs with; PIMCORE_WEBHOOK_TOKENS, if its Datahub Webhooks send one,
 * else a random token no sender knows, so token mode accepts nobody); lookups go through the worker's own
 * client.
 */
function configuredPimcore(env: Readonly<Record<string, string | undefined>>): PimcorePart {
  const {
    PIMCORE_API_KEY,
    PIMCORE_WEBHOOK_SECRETS,
    PIMCORE_WEBHOOK_TOKENS = randomBytes(32).toString('hex'),
    ...settings
  } = variablesWithPrefix(env, 'PIMCORE_');
  const config = pimcoreEnvSchema.parse({ ...settings, PIMCORE_API_KEY });
  let client: PimcoreClient | undefined;
  return {
    env: settings,
    secrets: { PIMCORE_API_KEY, PIMCORE_WEBHOOK_SECRETS, PIMCORE_WEBHOOK_TOKENS },
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
