import { z } from 'zod';
import { envWithDefault, oneOf, requiredEnv, textOf } from '../config/env-variables';
import { medusaEnvSchema, type MedusaConfig } from '../medusa/medusa-config';
import type { MappingSettings } from '../medusa/medusa-product-body';
import { pimcoreEnvSchema, type PimcoreConfig } from '../pimcore';

/** What the reconciliation job reads besides the worker's own PIMCORE_* and MEDUSA_* variables. */
const jobEnvSchema = z.object({
  PRODUCTS_EVENT_BUS_NAME: requiredEnv(
    textOf(
      'the products event bus (stack output EventBusName)',
      z.string().regex(/^[\w.\-/:]{1,1600}$/, 'not an event bus name or ARN'),
    ),
  ),
  /** true: put a repair event on the bus for each drift; false: report only. */
  RECONCILE_FIX: envWithDefault(oneOf(['true', 'false']), 'false'),
});

export interface ReconcileConfig {
  readonly pimcore: PimcoreConfig;
  readonly medusa: MedusaConfig;
  readonly mapping: MappingSettings;
  readonly eventBusName: string;
  readonly fix: boolean;
}

export class ReconcileConfigError extends Error {
  override readonly name = 'ReconcileConfigError';
}

/** The relay's mapping settings: reconciliation must expect exactly what the relay writes. */
export const mappingOf = (medusa: MedusaConfig): MappingSettings => ({
  salesChannelId: medusa.salesChannelId,
  currencies: medusa.currencies,
  manageInventory: medusa.stockLocationId !== undefined,
});

/** The same variables as the worker's relay, one line per problem (values never repeated). */
export function loadReconcileConfig(env: NodeJS.ProcessEnv): ReconcileConfig {
  const job = jobEnvSchema.safeParse(env);
  const pimcore = pimcoreEnvSchema.safeParse(env);
  const medusa = medusaEnvSchema.safeParse(env);
  if (!job.success || !pimcore.success || !medusa.success) {
    const problems = [job, pimcore, medusa]
      .flatMap((result) => result.error?.issues ?? [])
      .map((issue) => `  - ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    throw new ReconcileConfigError(`Invalid reconciliation configuration:\n${problems.join('\n')}`);
  }
  return {
    pimcore: pimcore.data,
    medusa: medusa.data,
    mapping: mappingOf(medusa.data),
    eventBusName: job.data.PRODUCTS_EVENT_BUS_NAME,
    fix: job.data.RECONCILE_FIX === 'true',
  };
}
