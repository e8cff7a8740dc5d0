import { sameFieldText } from './collation';
import type { ClassField, PimcoreModel } from './pimcore-artifacts';

/**
 * The simulator's objects: Product objects in folders, with the rules the real Pimcore enforces on save
 * (unique full path, the class's unique fields in their column's collation, mandatory fields on published
 * objects, input lengths), in its order and with the messages it gives (AbstractObject::save,
 * Concrete::update).
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
  /**
   * Pimcore's omitMandatoryCheck: save even with empty mandatory fields. Unset, Pimcore skips the
   * mandatory check for unpublished objects only (Concrete::getOmitMandatoryCheck returns !published).
   */
  readonly omitMandatoryCheck?: boolean;
}

/** An object put in place before a test, with the system values it is to have (else: now, the next). */
export interface SeedObject extends Omit<NewObject, 'omitMandatoryCheck'> {
  /** At least the next free id (ids only grow, like the objects table's AUTO_INCREMENT). */
  readonly id?: number;
  readonly creationDate?: number;
  readonly modificationDate?: number;
  readonly version?: number;
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
  /** Full path → id: the objects table's unique (path, key) index. */
  private readonly idsByPath = new Map<string, number>();
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
    this.idsByPath.clear();
    this.folders.clear();
    this.nextId = 1;
    this.nextVersion = 1;
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

  /**
   * As AbstractObject::save for a new object: the path check (correctPath) comes before the row is
   * inserted, so a duplicate path uses no id; a refusal after it (validation, the unique index) is
   * rolled back, but the AUTO_INCREMENT id it took is not given back (InnoDB never does).
   */
  create({ parentPath, key, published, writes, omitMandatoryCheck }: NewObject): SimulatedObject {
    const draft = this.newObject(this.nextId, parentPath, key, published);
    this.refuseDuplicatePath(draft);
    this.nextId += 1;
    this.save(draft, writes, omitMandatoryCheck);
    return snapshot(draft);
  }

  /** Puts an object in place with the same checks as a save, and the given id, dates and version. */
  seed({
    id = this.nextId,
    creationDate,
    modificationDate,
    version,
    ...object
  }: SeedObject): SimulatedObject {
    if (id < this.nextId) throw new Error(`id ${id} is not free: the next free id is ${this.nextId}`);
    const draft = this.newObject(id, object.parentPath, object.key, object.published);
    if (creationDate !== undefined) draft.creationDate = creationDate;
    if (modificationDate !== undefined) draft.modificationDate = modificationDate;
    this.save(draft, object.writes, undefined);
    this.nextId = id + 1;
    if (version !== undefined) {
      draft.version = version;
      this.nextVersion = Math.max(this.nextVersion, version + 1);
    }
    return snapshot(draft);
  }

  update(id: number, writes: readonly FieldWrite[], omitMandatoryCheck?: boolean): SimulatedObject {
    const draft = this.draftOf(id);
    this.save(draft, writes, omitMandatoryCheck);
    return snapshot(draft);
  }

  /** A save that changes publication, checked as any save: publishing demands the mandatory fields. */
  setPublished(id: number, published: boolean): SimulatedObject {
    const draft = this.draftOf(id);
    draft.published = published;
    this.save(draft, [], undefined);
    return snapshot(draft);
  }

  /**
   * Concrete::saveVersion (an editor's "Save" without publishing): a new version row takes a version
   * id, the object as stored (and so every API's answer) stays as it was.
   */
  saveVersionOnly(id: number): SimulatedObject {
    const current = this.objects.get(id);
    if (!current) throw new StoreRefusal('unknown-id', `no object ${id}`);
    this.nextVersion += 1;
    return snapshot(current);
  }

  /** The object as it was before it went, or undefined for an unknown id. */
  delete(id: number): SimulatedObject | undefined {
    const object = this.objects.get(id);
    if (!object) return undefined;
    this.objects.delete(id);
    this.idsByPath.delete(object.fullPath);
    return snapshot(object);
  }

  get(id: number): SimulatedObject | undefined {
    const object = this.objects.get(id);
    return object && snapshot(object);
  }

  /** Exact, as the objects table's utf8_bin path compares. */
  byFullPath(fullPath: string): SimulatedObject | undefined {
    const id = this.idsByPath.get(fullPath);
    return id === undefined ? undefined : this.get(id);
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

  private newObject(id: number, parentPath: string, key: string, published: boolean): MutableObject {
    if (!this.folders.has(parentPath)) throw new StoreRefusal('unknown-parent', `no folder ${parentPath}`);
    return {
      id,
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
  }

  /** A copy of a stored object to change and save, with the save's modificationDate. */
  private draftOf(id: number): MutableObject {
    const current = this.objects.get(id);
    if (!current) throw new StoreRefusal('unknown-id', `no object ${id}`);
    const draft = structuredClone(current);
    draft.modificationDate = nowSeconds();
    return draft;
  }

  /** AbstractObject::correctPath, with the message of Pimcore's DuplicateFullPathException. */
  private refuseDuplicatePath({ id, fullPath }: MutableObject): void {
    const holder = this.idsByPath.get(fullPath);
    if (this.folders.has(fullPath) || (holder !== undefined && holder !== id)) {
      throw new StoreRefusal('duplicate-path', `Duplicate full path [ ${fullPath} ] - cannot save object`);
    }
  }

  /** Checks as Pimcore's save does (path, then field validity, then the unique index) and stores. */
  private save(
    draft: MutableObject,
    writes: readonly FieldWrite[],
    omitMandatoryCheck: boolean | undefined,
  ): void {
    this.refuseDuplicatePath(draft);
    for (const { field, value, language } of writes) {
      if (field.localized) {
        if (language === undefined) throw new Error(`${field.name} is localized: a write needs a language`);
        draft.localized[field.name] = { ...draft.localized[field.name], [language]: value };
      } else {
        draft.values[field.name] = value;
      }
    }
    const omitMandatory = omitMandatoryCheck ?? !draft.published;
    const problems = [...this.model.fields.values()].flatMap((field) =>
      validityProblems(field, draft, omitMandatory),
    );
    if (problems.length > 0) {
      throw new StoreRefusal('validation', `Validation failed: ${problems.join(' / ')}`);
    }
    for (const field of this.model.fields.values()) {
      const value = draft.values[field.name];
      if (!field.unique || value === null || value === undefined) continue;
      if (this.holdsElsewhere(draft.id, field.name, value)) {
        throw new StoreRefusal('unique', 'unique constraint violation');
      }
    }
    draft.version = this.nextVersion++;
    this.objects.set(draft.id, draft);
    this.idsByPath.set(draft.fullPath, draft.id);
  }

  /** The unique index compares in the column's collation: "SHEIN:1" is taken by "shein:1". */
  private holdsElsewhere(id: number, fieldName: string, value: string): boolean {
    for (const other of this.objects.values()) {
      const held = other.values[fieldName];
      if (other.id !== id && typeof held === 'string' && sameFieldText(held, value)) return true;
    }
    return false;
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
