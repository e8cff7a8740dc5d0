import { LOCALIZED_FIELDS, PLAIN_READ_FIELDS } from '../product-mapping';

/**
 * The GraphQL documents the adapter sends to the Datahub endpoint of pimcore/datahub_products_export.json.
 * Values always travel as variables, so no product text is ever spliced into a document.
 */

/** Datahub lists only published objects unless `published: false` is passed (then it lists all). */
const LISTING_ARGS = 'filter: $filter, published: false, first: 2';

export const FIND_PRODUCT_IDS = `query FindProductIds($filter: String!) {
  getProductListing(${LISTING_ARGS}) { totalCount edges { node { id } } }
}`;

export const CREATE_PRODUCT = `mutation CreateProduct($key: String!, $path: String!, $published: Boolean!, $input: UpdateProductInput!) {
  createProduct(key: $key, path: $path, published: $published, input: $input) { success message }
}`;

export const UPDATE_PRODUCT = `mutation UpdateProduct($id: Int!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { success message }
}`;

/** The read documents select every language by alias, e.g. `title_ar: title(language: "ar")`. */
export function readDocuments(languages: readonly string[]): {
  getProduct: string;
  findProducts: string;
  listProducts: string;
} {
  const localized = LOCALIZED_FIELDS.flatMap((field) =>
    languages.map((language) => `${localizedAlias(field, language)}: ${field}(language: "${language}")`),
  );
  const selection = [
    'id key fullpath published creationDate modificationDate version',
    ...PLAIN_READ_FIELDS,
    ...localized,
  ]
    .map((line) => `    ${line}`)
    .join('\n');
  return {
    getProduct: `query GetProduct($id: Int!) {\n  getProduct(id: $id) {\n${selection}\n  }\n}`,
    findProducts: `query FindProducts($filter: String!) {
  getProductListing(${LISTING_ARGS}) { totalCount edges { node {\n${selection}\n  } } }
}`,
    // `after` is an offset (QueryType::resolveListing: setOffset); sorted by id so pages do not overlap.
    listProducts: `query ListProducts($first: Int!, $after: Int!) {
  getProductListing(published: false, first: $first, after: $after, sortBy: ["id"]) { totalCount edges { node {\n${selection}\n  } } }
}`,
  };
}

/** The listing filter (Pimcore's JSON query filter) for one externalId. */
export const externalIdFilter = (externalId: string): string => JSON.stringify({ externalId });

/** A node selected by readDocuments → the stored-object shape toPimcoreProduct reads. */
export function toStoredProduct(
  node: Readonly<Record<string, unknown>>,
  languages: readonly string[],
): unknown {
  const data: Record<string, unknown> = Object.fromEntries(
    PLAIN_READ_FIELDS.map((field) => [field, node[field]]),
  );
  for (const field of LOCALIZED_FIELDS) {
    data[field] = Object.fromEntries(
      languages.map((language) => [language, node[localizedAlias(field, language)]]),
    );
  }
  const { id, key, fullpath, published, creationDate, modificationDate, version } = node;
  return { id, key, fullpath, published, creationDate, modificationDate, version, data };
}

const localizedAlias = (field: string, language: string): string => `${field}_${language}`;
