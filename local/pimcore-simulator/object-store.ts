import type { ClassField, PimcoreModel } from './pimcore-artifacts';

/**
 * The simulator's objects: Product objects in folders, with the rules the real Pimcore enforces on save
 * (unique full path, the class's unique and mandatory fields, input lengths) and the messages it gives.
 */

export interface SimulatedObject {
  readonly id: number;
  readonly parentPath: string;
  readonly key: string;
  readonly fullPath: string;
  readonly published: boolean;
  /** Unix seconds. */
  readonly creationDate: number;
  readonly modificationDate: number;
  /** Like Pimcore's version id: one global sequence, a new value on every save. */
  readonly version: number;
  /** Non-localized fields. */
  readonly values: Readonly<Record<string, string | null>>;
  /** Localized fields: field → language → text. */
  readonly localized: Readonly<Record<string, Readonly<Record<string, string | null>>>>;
}

/** One value to set; `language` for localized fields. */
export interface FieldWrite {
  readonly field: ClassField;
  readonly value: string | null;
  readonly language?: string;
}

/** An object to create: where, published or not, and its values. */
export interface NewObject {
  readonly parentPath: string;
  readonly key: string;
  readonly published: boolean;
  readonly writes: readonly FieldWrite[];
  /** Pimcore's omitMandatoryCheck: save even with empty mandatory fields. */
  readonly omitMandatoryCheck?: boolean;
}

export type RefusalKind = 'unknown-parent' | 'duplicate-path' | 'unique' | 'validation' | 'unknown-id';

/** A save Pimcore refuses; `message` is Pimcore's exception message. */
export class StoreRefusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
  }
}

interface MutableObject {
  id: number;
  parentPath: string;
  key: string;
  /** Derived from parentPath and key, which never change after creation. */
  fullPath: string;
  published: boolean;
  creationDate: number;
  modificationDate: number;
  version: number;
  values: Record<string, string | null>;
  localized: Record<string, Record<string, string | null>>;
}

const fullPathOf = (parentPath: string, key: string): string =>
  `${parentPath === '/' ? '' : parentPath}/${key}`;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export class ObjectStore {
  private readonly objects = new Map<number, MutableObject>();
  private readonly folders = new Map<string, number>();
  private nextId = 1;
  private nextVersion = 1;

  constructor(
    private readonly model: PimcoreModel,
    private readonly folderPaths: readonly string[],
  ) {
    this.reset();
  }

  /** Back to the empty tree: the root and the configured folders (with their parents). */
  reset(): void {
    this.objects.clear();
    this.folders.clear();
    this.nextId = 1;
    this.folders.set('/', this.nextId++);
    for (const path of this.folderPaths) {
      const parts = path.split('/').filter(Boolean);
      parts.forEach((_, index) => {
        const folder = `/${parts.slice(0, index + 1).join('/')}`;
        if (!this.folders.has(folder)) this.folders.set(folder, this.nextId++);
      });
    }
  }

  hasFolder(path: string): boolean {
    return this.folders.has(path);
  }

  folderPathById(id: number): string | undefined {
    return [...this.folders].find(([, folderId]) => folderId === id)?.[0];
  }

  create({ parentPath, key, published, writes, omitMandatoryCheck = false }: NewObject): SimulatedObject {
    if (!this.folders.has(parentPath)) throw new StoreRefusal('unknown-parent', `no folder ${parentPath}`);
    const draft: MutableObject = {
      id: this.nextId,
      parentPath,
      key,
      fullPath: fullPathOf(parentPath, key),
      published,
      creationDate: nowSeconds(),
      modificationDate: nowSeconds(),
      version: 0,
      values: {},
      localized: {},
    };
    this.save(draft, writes, omitMandatoryCheck);
    this.nextId += 1;
    return snapshot(draft);
  }

  update(id: number, writes: readonly FieldWrite[], omitMandatoryCheck = false): SimulatedObject {
    const current = this.objects.get(id);
    if (!current) throw new StoreRefusal('unknown-id', `no object ${id}`);
    const draft = structuredClone(current);
    draft.modificationDate = nowSeconds();
    this.save(draft, writes, omitMandatoryCheck);
    return snapshot(draft);
  }

  setPublished(id: number, published: boolean): SimulatedObject {
    const current = this.objects.get(id);
    if (!current) throw new StoreRefusal('unknown-id', `no object ${id}`);
    current.published = published;
    current.modificationDate = nowSeconds();
    current.version = this.nextVersion++;
    return snapshot(current);
  }

  delete(id: number): boolean {
    return this.objects.delete(id);
  }

  get(id: number): SimulatedObject | undefined {
    const object = this.objects.get(id);
    return object && snapshot(object);
  }

  byFullPath(fullPath: string): SimulatedObject | undefined {
    return this.select((object) => object.fullPath === fullPath)[0];
  }

  /** In id order, like an unsorted Pimcore listing. */
  all(): SimulatedObject[] {
    return this.select(() => true);
  }

  /**
   * The objects `matches` picks, in id order, each a copy. `matches` reads the stored objects as they
   * are, so a lookup costs a copy per match rather than per object: the worker looks products up on
   * every message, and copying 10,000 objects each time made the simulator, not the worker, the limit.
   */
  select(matches: (object: SimulatedObject) => boolean): SimulatedObject[] {
    const picked: MutableObject[] = [];
    for (const object of this.objects.values()) if (matches(object)) picked.push(object);
    return picked.sort((a, b) => a.id - b.id).map(snapshot);
  }

  get size(): number {
    return this.objects.size;
  }

  /** Checks as Pimcore's save does (path, then field validity, then the unique index) and stores. */
  private save(draft: MutableObject, writes: readonly FieldWrite[], omitMandatoryCheck: boolean): void {
    const { fullPath } = draft;
    const holder = [...this.objects.values()].find((other) => other.fullPath === fullPath);
    if (this.folders.has(fullPath) || (holder && holder.id !== draft.id)) {
      throw new StoreRefusal('duplicate-path', `Duplicate full path [ ${fullPath} ] - cannot save object`);
    }
    for (const { field, value, language } of writes) {
      if (field.localized) {
        if (language === undefined) throw new Error(`${field.name} is localized: a write needs a language`);
        draft.localized[field.name] = { ...draft.localized[field.name], [language]: value };
      } else {
        draft.values[field.name] = value;
      }
    }
    const problems = [...this.model.fields.values()].flatMap((field) =>
      validityProblems(field, draft, omitMandatoryCheck),
    );
    if (problems.length > 0) {
      throw new StoreRefusal('validation', `Validation failed: ${problems.join(' / ')}`);
    }
    for (const field of this.model.fields.values()) {
      const value = draft.values[field.name];
      if (!field.unique || value === null || value === undefined) continue;
      const taken = [...this.objects.values()].some(
        (other) => other.id !== draft.id && other.values[field.name] === value,
      );
      if (taken) throw new StoreRefusal('unique', 'unique constraint violation');
    }
    draft.version = this.nextVersion++;
    this.objects.set(draft.id, draft);
  }
}

/** Pimcore's Data::checkValidity messages for the data types the class uses. */
function validityProblems(field: ClassField, object: MutableObject, omitMandatoryCheck: boolean): string[] {
  const values = field.localized
    ? Object.values(object.localized[field.name] ?? {})
    : [object.values[field.name]];
  const problems: string[] = [];
  if (
    field.mandatory &&
    !omitMandatoryCheck &&
    !values.some((value) => value !== null && value !== undefined && value !== '')
  ) {
    problems.push(`Empty mandatory field [ ${field.name} ]`);
  }
  const limit = field.columnLength;
  // Pimcore counts characters (mb_strlen), not UTF-16 units.
  if (limit !== null && values.some((value) => [...(value ?? '')].length > limit)) {
    problems.push(`Value in field [ ${field.name} ] is longer than ${limit} characters`);
  }
  return problems;
}

function snapshot(object: MutableObject): SimulatedObject {
  return structuredClone(object);
}
