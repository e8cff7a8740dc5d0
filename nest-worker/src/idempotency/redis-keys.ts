/**
 * The worker's Redis keys: `pipeline:{<scope>[:<namespace>]:<entity>}:<kind>`. Redis Cluster (and
 * ElastiCache Serverless) hashes only what is inside the braces, the hash tag, so every key of one entity
 * (a product's ledger and claim) lands in one slot: a script or pipeline that touches several of them is
 * answered instead of refused with CROSSSLOT. Different entities still spread over the slots.
 */
export function entityKey(scope: string, entity: string, kind: string): string {
  return `pipeline:{${scope}:${entity}}:${kind}`;
}

/** A scope with REDIS_KEY_NAMESPACE, which keeps deployments (or test runs) sharing one Redis apart. */
export function namespacedScope(scope: string, namespace: string | undefined): string {
  return namespace === undefined ? scope : `${scope}:${namespace}`;
}
