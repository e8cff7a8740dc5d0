import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The simulator's model of the Pimcore installation, read from the artifacts admins import
 * (pimcore/class_Product_export.json and pimcore/datahub_graphql_products_export.json), so what the
 * simulator accepts is what a real Pimcore set up from those files accepts.
 */

const ARTIFACTS_DIR = join(__dirname, '..', '..', 'pimcore');
export const CLASS_NAME = 'Product';

export interface ClassField {
  readonly name: string;
  /** The label editors see, e.g. "External ID"; Datahub Webhooks label a field "<title> (<name>)". */
  readonly title: string;
  readonly fieldtype: 'input' | 'textarea';
  readonly localized: boolean;
  readonly mandatory: boolean;
  readonly unique: boolean;
  /** input fields refuse longer values. */
  readonly columnLength: number | null;
}

export type QueryColumn =
  | { readonly kind: 'system'; readonly name: 'key' | 'fullpath' | 'published' }
  | { readonly kind: 'field'; readonly field: ClassField };

/** An input field of UpdateProductInput: a plain field, or a Locale Collector over a localized one. */
export interface MutationInput {
  readonly key: string;
  readonly field: ClassField;
  readonly allLanguages: boolean;
}

export interface Workspace {
  readonly path: string;
  readonly read: boolean;
  readonly create: boolean;
  readonly update: boolean;
}

export interface PimcoreModel {
  readonly fields: ReadonlyMap<string, ClassField>;
  readonly endpointName: string;
  readonly queryColumns: readonly QueryColumn[];
  readonly mutationInputs: readonly MutationInput[];
  readonly canCreate: boolean;
  readonly canUpdate: boolean;
  readonly workspaces: readonly Workspace[];
}

interface LayoutNode {
  readonly datatype: 'layout' | 'data';
  readonly fieldtype: string;
  readonly name: string;
  readonly title?: string | null;
  readonly mandatory?: boolean;
  readonly unique?: boolean;
  readonly columnLength?: number;
  readonly children?: readonly LayoutNode[];
}
const layoutNodeSchema: z.ZodType<LayoutNode> = z.lazy(() =>
  z.object({
    datatype: z.enum(['layout', 'data']),
    fieldtype: z.string(),
    name: z.string(),
    title: z.string().nullish(),
    mandatory: z.boolean().optional(),
    unique: z.boolean().optional(),
    columnLength: z.number().optional(),
    children: z.array(layoutNodeSchema).optional(),
  }),
);
const classExportSchema = z.object({ layoutDefinitions: layoutNodeSchema });

const columnAttributesSchema = z.object({ attribute: z.string(), dataType: z.string() });
const columnSchema = z.object({
  isOperator: z.boolean(),
  attributes: z.object({
    attribute: z.string().optional(),
    dataType: z.string().optional(),
    label: z.string().optional(),
    class: z.string().optional(),
    children: z
      .array(z.object({ isOperator: z.literal(false), attributes: columnAttributesSchema }))
      .optional(),
  }),
});
type Column = z.infer<typeof columnSchema>;
const columnsSchema = z.object({ columns: z.array(columnSchema) });
const datahubExportSchema = z.object({
  name: z.string(),
  configuration: z.object({
    schema: z.object({
      queryEntities: z.record(z.string(), z.object({ columnConfig: columnsSchema })),
      mutationEntities: z.record(
        z.string(),
        z.object({ create: z.boolean(), update: z.boolean(), columnConfig: columnsSchema }),
      ),
    }),
    workspaces: z.object({
      object: z.array(
        z.object({ cpath: z.string(), read: z.boolean(), create: z.boolean(), update: z.boolean() }),
      ),
    }),
  }),
});

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(ARTIFACTS_DIR, file), 'utf8'));
}

/** Walks the layout tree: data fields anywhere, those inside "localizedfields" per language. */
function collectFields(node: LayoutNode, localized: boolean, into: Map<string, ClassField>): void {
  if (node.datatype === 'data' && node.fieldtype !== 'localizedfields') {
    if (node.fieldtype !== 'input' && node.fieldtype !== 'textarea') {
      throw new Error(`the simulator does not implement ${node.fieldtype} (field ${node.name})`);
    }
    into.set(node.name, {
      name: node.name,
      // Every field of the shipped class has a title; one without is labelled by its name here.
      title: node.title || node.name,
      fieldtype: node.fieldtype,
      localized,
      mandatory: node.mandatory ?? false,
      unique: node.unique ?? false,
      columnLength: node.fieldtype === 'input' ? (node.columnLength ?? null) : null,
    });
    return;
  }
  const insideLocalized = localized || node.fieldtype === 'localizedfields';
  for (const child of node.children ?? []) collectFields(child, insideLocalized, into);
}

function fieldOf(fields: ReadonlyMap<string, ClassField>, name: string | undefined): ClassField {
  const field = name === undefined ? undefined : fields.get(name);
  if (!field) {
    throw new Error(`the Datahub configuration names "${String(name)}", which the class does not have`);
  }
  return field;
}

function queryColumn(column: Column, fields: ReadonlyMap<string, ClassField>): QueryColumn {
  const { attribute, dataType } = column.attributes;
  if (dataType !== 'system') return { kind: 'field', field: fieldOf(fields, attribute) };
  if (attribute === 'key' || attribute === 'fullpath' || attribute === 'published') {
    return { kind: 'system', name: attribute };
  }
  throw new Error(`the simulator does not implement the system column ${String(attribute)}`);
}

function mutationInput(column: Column, fields: ReadonlyMap<string, ClassField>): MutationInput {
  if (!column.isOperator) {
    const field = fieldOf(fields, column.attributes.attribute);
    return { key: field.name, field, allLanguages: false };
  }
  const child = column.attributes.children?.[0];
  if (column.attributes.class !== 'LocaleCollector' || !child || !column.attributes.label) {
    throw new Error(`the simulator implements only the Locale Collector operator over one field`);
  }
  // Datahub names an operator's input after its label (DataObjectFieldHelper::getMutationFieldConfigFromConfig).
  const key = column.attributes.label.replace(/[^A-Za-z0-9\-.~_]+/g, '_');
  return { key, field: fieldOf(fields, child.attributes.attribute), allLanguages: true };
}

export function loadPimcoreModel(): PimcoreModel {
  const classExport = classExportSchema.parse(readJson(`class_${CLASS_NAME}_export.json`));
  const datahub = datahubExportSchema.parse(readJson('datahub_graphql_products_export.json'));
  const fields = new Map<string, ClassField>();
  collectFields(classExport.layoutDefinitions, false, fields);
  const { queryEntities, mutationEntities } = datahub.configuration.schema;
  const query = queryEntities[CLASS_NAME];
  const mutation = mutationEntities[CLASS_NAME];
  if (!query || !mutation) throw new Error(`the Datahub configuration does not expose ${CLASS_NAME}`);
  return {
    fields,
    endpointName: datahub.name,
    queryColumns: query.columnConfig.columns.map((column) => queryColumn(column, fields)),
    mutationInputs: mutation.columnConfig.columns.map((column) => mutationInput(column, fields)),
    canCreate: mutation.create,
    canUpdate: mutation.update,
    workspaces: datahub.configuration.workspaces.object.map(({ cpath, read, create, update }) => ({
      path: cpath,
      read,
      create,
      update,
    })),
  };
}
