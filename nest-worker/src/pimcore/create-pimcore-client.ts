import { DatahubPimcoreClient } from './datahub/datahub-client';
import type { PimcoreClient } from './pimcore-client';
import { pimcoreConfigSchema, type PimcoreConfig } from './pimcore-config';
import { RestPimcoreClient } from './rest/rest-client';

/** The adapter PIMCORE_ADAPTER names; the config is checked again because callers may build it in code. */
export function createPimcoreClient(config: PimcoreConfig): PimcoreClient {
  const checked = pimcoreConfigSchema.parse(config);
  return checked.adapter === 'datahub' ? new DatahubPimcoreClient(checked) : new RestPimcoreClient(checked);
}
