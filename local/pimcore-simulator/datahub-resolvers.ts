import { GraphQLError } from 'graphql';
import { FilterError, parseListingFilter, type ObjectPredicate } from './listing-filter';
import { StoreRefusal, type FieldWrite, type SimulatedObject } from './object-store';
import { CLASS_NAME, type MutationInput } from './pimcore-artifacts';
import type { PimcoreBackend } from './pimcore-backend';

/**
 * What the Datahub endpoint's root fields do, after pimcore/data-hub's resolvers (Resolver/QueryType.php
 * resolveObjectGetter and resolveListing, Mutation/MutationType.php's create resolver and
 * getUpdateObjectResolver): the same checks in the same order, the same `{success, message}` results and
 * texts, and the same saves (two for a create).
 */

export interface MutationResult {
  readonly success: boolean;
  readonly message: string;
  readonly id?: number;
}

export interface GetArgs {
  readonly id?: number | null;
  readonly fullpath?: string | null;
}

export interface ListingArgs {
  readonly ids?: string | null;
  readonly fullpaths?: string | null;
  readonly first?: number | null;
  readonly after?: number | null;
  readonly filter?: string | null;
  readonly published?: boolean | null;
}

export function listingPredicate(
  filter: string | null | undefined,
  fields: ReadonlySet<string>,
): ObjectPredicate {
  if (filter === null || filter === undefined) return () => true;
  try {
    return parseListingFilter(filter, fields);
  } catch (error) {
    if (error instanceof FilterError) throw new GraphQLError(error.message);
    throw error;
  }
}

/** Sorted by id; sortBy and tags are accepted for schema parity but not applied. */
export function listObjects(
  backend: PimcoreBackend,
  args: ListingArgs,
  matches: ObjectPredicate,
): SimulatedObject[] {
  const ids = args.ids ? new Set(args.ids.split(',').map((id) => Number(id.trim()))) : undefined;
  const paths = args.fullpaths ? new Set(args.fullpaths.split(',').map((path) => path.trim())) : undefined;
  return backend.store.select(
    (object) =>
      backend.allowed(object.fullPath, 'read') &&
      (args.published === false || object.published) && // published:false lists unpublished too
      (ids ? ids.has(object.id) : true) &&
      (paths ? paths.has(object.fullPath) : true) &&
      matches(object),
  );
}

/** Resolver/QueryType.php resolveObjectGetter, with its messages. */
export function getObject(backend: PimcoreBackend, { id, fullpath }: GetArgs): SimulatedObject {
  const hasId = id !== null && id !== undefined;
  const hasPath = fullpath !== null && fullpath !== undefined && fullpath !== '';
  if (!hasId && !hasPath) throw new GraphQLError('object id or fullpath expected');
  const [object] = backend.store.select(
    (candidate) => (!hasId || candidate.id === id) && (!hasPath || candidate.fullPath === fullpath),
  );
  if (!object) {
    if (hasId && hasPath) throw new GraphQLError('either id or fullpath expected but not both');
    throw new GraphQLError(
      hasId ? `object with id:'${id}' not found` : `object with fullpath:'${fullpath}' not found`,
    );
  }
  if (!backend.allowed(object.fullPath, 'read')) {
    throw new GraphQLError('permission denied. check your workspace settings');
  }
  return object;
}

export interface CreateArgs {
  readonly key: string;
  readonly path?: string | null;
  readonly parentId?: number | null;
  readonly published?: boolean | null;
  readonly omitMandatoryCheck?: boolean | null;
  readonly input?: unknown;
}

/**
 * MutationType.php, the create resolver: it resolves the parent, checks the workspace, then hands the new
 * object to getUpdateObjectResolver, which saves it (postAdd) and answers any exception with its own
 * message, bare: "Duplicate full path [ … ] - cannot save object", "unique constraint violation",
 * "Validation failed: …". Only after that does the create resolver save a second time (postUpdate); its
 * `creating failed: …` answers belong to that second save, which cannot fail differently here (nothing
 * runs between the two), so they are not modelled.
 */
export function createObject(
  backend: PimcoreBackend,
  args: CreateArgs,
  writes: readonly FieldWrite[],
): MutationResult {
  const parentPath =
    args.parentId !== null && args.parentId !== undefined
      ? backend.store.folderPathById(args.parentId)
      : (args.path ?? undefined);
  if (parentPath === undefined || !backend.store.hasFolder(parentPath)) {
    return { success: false, message: 'unable to resolve parent' };
  }
  if (!backend.allowed(parentPath, 'create')) {
    return { success: false, message: `not allowed to create object ${CLASS_NAME}` };
  }
  // The update resolver's own workspace check, on the new object (its parents decide).
  if (!backend.allowed(parentPath, 'update')) return { success: false, message: 'permission denied.' };
  const omitMandatoryCheck = args.omitMandatoryCheck ?? undefined;
  let id: number;
  try {
    // `published` is "Default is true!" in the schema.
    const published = args.published ?? true;
    ({ id } = backend.create({ parentPath, key: args.key, published, writes, omitMandatoryCheck }));
  } catch (error) {
    if (!(error instanceof StoreRefusal)) throw error;
    return { success: false, message: error.message };
  }
  backend.update(id, [], omitMandatoryCheck);
  return { success: true, message: `object created: ${id}`, id };
}

export interface UpdateArgs {
  readonly id?: number | null;
  readonly fullpath?: string | null;
  readonly omitMandatoryCheck?: boolean | null;
  readonly input?: unknown;
}

export function updateObject(
  backend: PimcoreBackend,
  args: UpdateArgs,
  writes: readonly FieldWrite[],
): MutationResult {
  const object =
    args.id !== null && args.id !== undefined
      ? backend.store.get(args.id)
      : args.fullpath
        ? backend.store.byFullPath(args.fullpath)
        : undefined;
  if (!object) return { success: false, message: 'unable to update object. Unknown id or fullpath' };
  if (!backend.allowed(object.fullPath, 'update')) return { success: false, message: 'permission denied.' };
  try {
    backend.update(object.id, writes, args.omitMandatoryCheck ?? undefined);
    return { success: true, message: `object ${object.id} updated`, id: object.id };
  } catch (error) {
    if (!(error instanceof StoreRefusal)) throw error;
    return { success: false, message: error.message };
  }
}

/** The validated `input` argument → field writes (graphql-js has checked names and types already). */
export function fieldWrites(
  inputs: readonly MutationInput[],
  input: unknown,
  defaultLanguage: string,
): FieldWrite[] {
  if (input === null || typeof input !== 'object') return [];
  const byKey = new Map(inputs.map((mutationInput) => [mutationInput.key, mutationInput]));
  return Object.entries(input).flatMap(([key, value]): FieldWrite[] => {
    const target = byKey.get(key);
    if (!target) return [];
    const { field } = target;
    if (!target.allLanguages) {
      const text = value as string | null;
      return [field.localized ? { field, value: text, language: defaultLanguage } : { field, value: text }];
    }
    if (value === null) return [];
    return Object.entries(value as Record<string, string | null>).map(([language, text]) => ({
      field,
      value: text,
      language,
    }));
  });
}
