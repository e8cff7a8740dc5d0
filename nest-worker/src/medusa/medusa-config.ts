import { z } from 'zod';
import {
  envWithDefault,
  optionalEnv,
  requiredEnv,
  textOf,
  urlOf,
  wholeNumber,
} from '../config/env-variables';

/** How the relay authenticates to the admin API (docs/relay.md). */
export type MedusaCredentials =
  | { readonly kind: 'secret-api-key'; readonly secretApiKey: string }
  | { readonly kind: 'email-password'; readonly email: string; readonly password: string };

export interface MedusaConfig {
  readonly baseUrl: string;
  readonly credentials: MedusaCredentials;
  /** The sales channel products are published in (tied to the storefront's publishable key). */
  readonly salesChannelId: string;
  /**
   * Currencies (lower case, as Medusa stores them) every product must have a price in; undefined:
   * every currency the product has. A product missing one is refused with the currency named.
   */
  readonly currencies: readonly string[] | undefined;
  /** With a stock location, inventory levels come from the variants' stock; without, manage_inventory:false. */
  readonly stockLocationId: string | undefined;
  readonly timeoutMs: number;
}

const currencyListSchema = z
  .string()
  .transform((list) =>
    list
      .split(',')
      .map((code) => code.trim().toLowerCase())
      .filter((code) => code !== ''),
  )
  .pipe(
    z
      .array(z.string().regex(/^[a-z]{3}$/, 'expected ISO 4217 codes such as sar,usd'))
      .min(1, 'expected at least one currency code')
      .refine((codes) => new Set(codes).size === codes.length, 'currency codes must be unique'),
  );

/**
 * The MEDUSA_* environment variables → MedusaConfig; every problem is reported against the variable's
 * name. Exactly one way to authenticate: a secret API key, or an admin user's e-mail and password.
 */
export const medusaEnvSchema = z
  .object({
    MEDUSA_BASE_URL: requiredEnv(urlOf(['http', 'https'], 'the Medusa server URL')),
    MEDUSA_SECRET_API_KEY: optionalEnv(
      textOf('a secret API key', z.string()),
      'to sign in with MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD',
    ),
    MEDUSA_ADMIN_EMAIL: optionalEnv(
      textOf('an admin user’s e-mail address', z.email()),
      'to use MEDUSA_SECRET_API_KEY',
    ),
    MEDUSA_ADMIN_PASSWORD: optionalEnv(
      textOf('the admin user’s password', z.string()),
      'to use MEDUSA_SECRET_API_KEY',
    ),
    MEDUSA_SALES_CHANNEL_ID: requiredEnv(
      textOf(
        'the sales channel products are published in (sc_…)',
        z.string().regex(/^[\w-]+$/, 'expected a sales channel id such as sc_01H…'),
      ),
    ),
    MEDUSA_CURRENCIES: optionalEnv(
      textOf('comma-separated ISO 4217 codes such as sar,usd', currencyListSchema),
      'every currency a product has',
    ),
    MEDUSA_STOCK_LOCATION_ID: optionalEnv(
      textOf(
        'a stock location id such as sloc_01H…',
        z.string().regex(/^[\w-]+$/, 'expected a stock location id such as sloc_01H…'),
      ),
      'inventory not managed',
    ),
    MEDUSA_TIMEOUT_MS: envWithDefault(wholeNumber(100, 300_000), 10_000),
  })
  .transform((env, ctx): MedusaConfig => {
    const common = {
      baseUrl: env.MEDUSA_BASE_URL.replace(/\/+$/, ''),
      salesChannelId: env.MEDUSA_SALES_CHANNEL_ID,
      currencies: env.MEDUSA_CURRENCIES,
      stockLocationId: env.MEDUSA_STOCK_LOCATION_ID,
      timeoutMs: env.MEDUSA_TIMEOUT_MS,
    };
    const hasUser = env.MEDUSA_ADMIN_EMAIL !== undefined || env.MEDUSA_ADMIN_PASSWORD !== undefined;
    if (env.MEDUSA_SECRET_API_KEY !== undefined && !hasUser) {
      return { ...common, credentials: { kind: 'secret-api-key', secretApiKey: env.MEDUSA_SECRET_API_KEY } };
    }
    if (env.MEDUSA_SECRET_API_KEY === undefined && env.MEDUSA_ADMIN_EMAIL && env.MEDUSA_ADMIN_PASSWORD) {
      const credentials = {
        kind: 'email-password',
        email: env.MEDUSA_ADMIN_EMAIL,
        password: env.MEDUSA_ADMIN_PASSWORD,
      } as const;
      return { ...common, credentials };
    }
    ctx.addIssue({
      code: 'custom',
      path: ['MEDUSA_SECRET_API_KEY'],
      message:
        'set either MEDUSA_SECRET_API_KEY, or MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD (not both ways)',
    });
    return z.NEVER;
  });
