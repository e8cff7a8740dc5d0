import type { CanonicalProduct, CanonicalProductWithoutHash } from '../../../contracts/canonical-product';

/**
 * The worker's view of the PIM: a keyed upsert and the reads the Medusa relay needs. Two adapters
 * implement it (Datahub GraphQL and a custom REST endpoint); createPimcoreClient picks one by config.
 * Every method throws PimcoreTransientError or PimcorePermanentError (see pimcore-errors.ts).
 */
export interface PimcoreClient {
  /**
   * Creates the product's object, or updates the one that has its externalId. Idempotent, and safe
   * under concurrency: any number of calls for one product, in any interleaving, leave exactly one object.
   */
  upsertProduct(product: CanonicalProduct, options?: UpsertOptions): Promise<UpsertResult>;
  /** null when no object has that id. */
  getProduct(pimcoreId: number, options?: CallOptions): Promise<PimcoreProduct | null>;
  /** null when no Product object carries that externalId. */
  findByExternalId(externalId: string, options?: CallOptions): Promise<PimcoreProduct | null>;
  /**
   * One page of every Product object, published or not, in id order: reconciliation walks them all.
   * `total` is the count when the page was read (objects created meanwhile may shift later pages: a
   * product missed this time is found by the next run).
   */
  listProducts(page: PageRequest, options?: CallOptions): Promise<ProductPage>;
  /** Releases the connection pool; the client is unusable afterwards. */
  close(): Promise<void>;
}

export interface CallOptions {
  /** Ends the call early (shutdown); the call then fails with PimcoreTransientError reason "aborted". */
  readonly signal?: AbortSignal;
}

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

export interface ProductPage {
  readonly products: readonly PimcoreProduct[];
  readonly total: number;
}

export interface UpsertOptions extends CallOptions {
  /**
   * The caller has written this product before (its idempotency ledger says so), so an update is the
   * likely outcome: an adapter may look the object up first instead of trying a create. Only a hint:
   * the upsert is right either way, it just takes more requests when the hint is wrong.
   */
  readonly expectExisting?: boolean;
}

export interface UpsertResult {
  readonly pimcoreId: number;
  /** false when an existing object was updated. */
  readonly created: boolean;
  /** Locales of the product Pimcore has no language for (PIMCORE_LANGUAGES); their texts were not stored. */
  readonly skippedLocales: readonly string[];
}

/** The product data as it stands in Pimcore, in canonical shape (editors may have changed it). */
export type PimcoreProductData = Omit<CanonicalProductWithoutHash, 'schemaVersion'>;

export interface PimcoreProduct {
  readonly pimcoreId: number;
  readonly key: string;
  readonly fullPath: string;
  readonly published: boolean;
  /** Unix seconds, as Pimcore reports them. */
  readonly creationDate: number;
  readonly modificationDate: number;
  /** Pimcore's id of the object's current version: it grows with every save, unlike the second-granular dates. */
  readonly version: number | null;
  /** The contentHash of the canonical product the pipeline last wrote. */
  readonly contentHash: string | null;
  readonly product: PimcoreProductData;
}
