import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
} from 'graphql';
import {
  createObject,
  fieldWrites,
  getObject,
  listingPredicate,
  listObjects,
  updateObject,
  type CreateArgs,
  type GetArgs,
  type ListingArgs,
  type MutationResult,
  type UpdateArgs,
} from './datahub-resolvers';
import type { SimulatedObject } from './object-store';
import { CLASS_NAME, type MutationInput, type QueryColumn } from './pimcore-artifacts';
import type { PimcoreBackend } from './pimcore-backend';

/**
 * The executable schema of the Datahub endpoint, built like pimcore/data-hub builds it from the class
 * and the endpoint configuration (QueryType.php, MutationType.php, PimcoreObjectType.php): the same type,
 * field and argument names. The root fields' work is in datahub-resolvers.ts.
 */

type ObjectFields = GraphQLFieldConfigMap<SimulatedObject, unknown>;

export function buildDatahubSchema(backend: PimcoreBackend): GraphQLSchema {
  const { model } = backend;
  const defaultLanguage = backend.languages[0] ?? 'en';
  const objectType = new GraphQLObjectType<SimulatedObject>({
    name: `object_${CLASS_NAME}`,
    fields: {
      id: { type: GraphQLID, resolve: (object) => String(object.id) },
      creationDate: { type: GraphQLInt },
      modificationDate: { type: GraphQLInt },
      version: { type: GraphQLInt },
      classname: { type: GraphQLString, resolve: () => CLASS_NAME },
      ...Object.fromEntries(model.queryColumns.map((column) => queryField(column, defaultLanguage))),
    } satisfies ObjectFields,
  });
  const resultType = (verb: string) =>
    new GraphQLObjectType<MutationResult>({
      name: `${verb}${CLASS_NAME}Result`,
      fields: {
        success: { type: GraphQLBoolean },
        message: { type: GraphQLString },
        output: {
          type: objectType,
          args: { defaultLanguage: { type: GraphQLString } },
          resolve: (result) =>
            result.success && result.id !== undefined ? backend.store.get(result.id) : null,
        },
      },
    });
  const inputType = updateInputType(model.mutationInputs, backend.languages);
  const writes = (input: unknown) => fieldWrites(model.mutationInputs, input, defaultLanguage);
  const mutations: GraphQLFieldConfigMap<unknown, unknown> = {};
  if (model.canCreate) {
    mutations[`create${CLASS_NAME}`] = {
      type: resultType('Create'),
      args: {
        key: { type: new GraphQLNonNull(GraphQLString) },
        path: { type: GraphQLString },
        parentId: { type: GraphQLInt },
        defaultLanguage: { type: GraphQLString },
        published: { type: GraphQLBoolean, description: 'Default is true!' },
        omitMandatoryCheck: { type: GraphQLBoolean },
        userId: { type: GraphQLInt },
        type: { type: GraphQLString },
        input: { type: inputType },
      },
      resolve: async (_root, args: CreateArgs) => {
        await backend.controls.runBefore(`create${CLASS_NAME}`);
        return createObject(backend, args, writes(args.input));
      },
    };
  }
  if (model.canUpdate) {
    mutations[`update${CLASS_NAME}`] = {
      type: resultType('Update'),
      args: {
        id: { type: GraphQLInt },
        fullpath: { type: GraphQLString },
        parentId: { type: GraphQLInt },
        defaultLanguage: { type: GraphQLString },
        omitMandatoryCheck: { type: GraphQLBoolean },
        omitVersionCreate: { type: GraphQLBoolean },
        userId: { type: GraphQLInt },
        input: { type: inputType },
      },
      resolve: async (_root, args: UpdateArgs) => {
        await backend.controls.runBefore(`update${CLASS_NAME}`);
        return updateObject(backend, args, writes(args.input));
      },
    };
  }
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: queryFields(backend, objectType) }),
    mutation: new GraphQLObjectType({ name: 'Mutation', fields: mutations }),
  });
}

function queryField(
  column: QueryColumn,
  defaultLanguage: string,
): [string, GraphQLFieldConfig<SimulatedObject, unknown>] {
  if (column.kind === 'system') {
    if (column.name === 'published') return ['published', { type: GraphQLBoolean }];
    return [
      column.name,
      { type: GraphQLString, resolve: (object) => (column.name === 'key' ? object.key : object.fullPath) },
    ];
  }
  const { name, localized } = column.field;
  if (!localized) return [name, { type: GraphQLString, resolve: (object) => object.values[name] ?? null }];
  return [
    name,
    {
      type: GraphQLString,
      args: { language: { type: GraphQLString } },
      resolve: (object, args: { language?: string | null }) =>
        object.localized[name]?.[args.language ?? defaultLanguage] ?? null,
    },
  ];
}

function queryFields(
  backend: PimcoreBackend,
  objectType: GraphQLObjectType<SimulatedObject>,
): GraphQLFieldConfigMap<unknown, unknown> {
  const edgeType = new GraphQLObjectType({
    name: `${CLASS_NAME}Edge`,
    fields: { cursor: { type: GraphQLString }, node: { type: objectType } },
  });
  const connectionType = new GraphQLObjectType({
    name: `${CLASS_NAME}Connection`,
    fields: { edges: { type: new GraphQLList(edgeType) }, totalCount: { type: GraphQLInt } },
  });
  const filterableFields = new Set([
    'key',
    ...[...backend.model.fields.values()].filter((field) => !field.localized).map((field) => field.name),
  ]);
  return {
    [`get${CLASS_NAME}`]: {
      type: objectType,
      args: {
        id: { type: GraphQLInt },
        fullpath: { type: GraphQLString },
        defaultLanguage: { type: GraphQLString },
      },
      resolve: async (_root, args: GetArgs) => {
        await backend.controls.runBefore(`get${CLASS_NAME}`);
        return getObject(backend, args);
      },
    },
    [`get${CLASS_NAME}Listing`]: {
      type: connectionType,
      args: {
        ids: { type: GraphQLString },
        fullpaths: { type: GraphQLString, description: 'Comma separated list of fullpath' },
        tags: { type: GraphQLString, description: 'Comma separated list of tag names' },
        defaultLanguage: { type: GraphQLString },
        first: { type: GraphQLInt },
        after: { type: GraphQLInt },
        sortBy: { type: new GraphQLList(GraphQLString) },
        sortOrder: { type: new GraphQLList(GraphQLString) },
        filter: { type: GraphQLString },
        published: { type: GraphQLBoolean },
      },
      resolve: async (_root, args: ListingArgs) => {
        await backend.controls.runBefore(`get${CLASS_NAME}Listing`);
        const matches = listObjects(backend, args, listingPredicate(args.filter, filterableFields));
        const start = args.after ?? 0;
        const page = matches.slice(
          start,
          args.first === null || args.first === undefined ? undefined : start + args.first,
        );
        return {
          totalCount: matches.length,
          edges: page.map((node) => ({ cursor: `object-${node.id}`, node })),
        };
      },
    },
  };
}

/** UpdateProductInput; a Locale Collector's input is LocalizedString, one field per system language. */
function updateInputType(
  inputs: readonly MutationInput[],
  languages: readonly string[],
): GraphQLInputObjectType {
  const localizedString = new GraphQLInputObjectType({
    name: 'LocalizedString',
    fields: Object.fromEntries(languages.map((language) => [language, { type: GraphQLString }])),
  });
  const fields: GraphQLInputFieldConfigMap = Object.fromEntries(
    inputs.map((input) => [input.key, { type: input.allLanguages ? localizedString : GraphQLString }]),
  );
  return new GraphQLInputObjectType({ name: `Update${CLASS_NAME}Input`, fields });
}
