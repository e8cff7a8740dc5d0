import {
  ObjectStore,
  type FieldWrite,
  type NewObject,
  type SeedObject,
  type SimulatedObject,
} from './object-store';
import type { PimcoreModel, Workspace } from './pimcore-artifacts';
import { RequestControls } from './request-controls';

/**
 * One event of an object as Pimcore dispatches it (DataObjectEvents) and Datahub Webhooks forward it:
 * postAdd for an object's first save, postUpdate for every later save (publication changes and drafts
 * included), postDelete when it is deleted.
 */
export interface ObjectSave {
  readonly event: 'postAdd' | 'postUpdate' | 'postDelete';
  /** After the save; for postDelete, as it was. */
  readonly object: SimulatedObject;
  /**
   * A draft: Concrete::saveVersion dispatches postUpdate with `saveVersionOnly`, and nothing stored or
   * published changed.
   */
  readonly versionOnly: boolean;
  /** Unix seconds of the event. */
  readonly timestamp: number;
}
export type SaveListener = (save: ObjectSave) => void;

/** An object present before a test: plain fields as text, localized ones as {language: text}. */
export interface GivenObject extends Omit<SeedObject, 'writes'> {
  readonly values: Readonly<Record<string, string | null | Readonly<Record<string, string | null>>>>;
}

type Permission = keyof Omit<Workspace, 'path'>;

/** What both simulated APIs share: the objects, the Datahub workspaces, publication and the save listeners. */
export class PimcoreBackend {
  readonly store: ObjectStore;
  readonly controls = new RequestControls();
  private readonly listeners = new Set<SaveListener>();

  constructor(
    readonly model: PimcoreModel,
    readonly languages: readonly string[],
    folders: readonly string[],
    /** Objects are created published whatever the caller asks (a Pimcore with an auto-publish rule). */
    public autoPublish: boolean,
  ) {
    this.store = new ObjectStore(model, folders);
  }

  /** One save of a new object (`$object->save()`): postAdd. */
  create(request: NewObject): SimulatedObject {
    const object = this.store.create({ ...request, published: request.published || this.autoPublish });
    this.notify('postAdd', object);
    return object;
  }

  update(id: number, writes: readonly FieldWrite[], omitMandatoryCheck?: boolean): SimulatedObject {
    const object = this.store.update(id, writes, omitMandatoryCheck);
    this.notify('postUpdate', object);
    return object;
  }

  setPublished(id: number, published: boolean): SimulatedObject {
    const object = this.store.setPublished(id, published);
    this.notify('postUpdate', object);
    return object;
  }

  /** An editor's "Save" without publishing (Concrete::saveVersion): postUpdate, versionOnly. */
  saveDraft(id: number): SimulatedObject {
    const object = this.store.saveVersionOnly(id);
    this.notify('postUpdate', object, true);
    return object;
  }

  /** postDelete with the object as it was; false (and no event) for an unknown id. */
  delete(id: number): boolean {
    const object = this.store.delete(id);
    if (object) this.notify('postDelete', object);
    return object !== undefined;
  }

  /** Puts objects in place, checked as saves are, without events: the state a test starts from. */
  seed(objects: readonly GivenObject[]): SimulatedObject[] {
    return objects.map(({ values, ...object }) =>
      this.store.seed({ ...object, writes: this.writesOf(values) }),
    );
  }

  /** Called after every event: creation, update, publish, unpublish, draft, delete; returns an unsubscribe. */
  onSave(listener: SaveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The Datahub endpoint's object workspaces: a path is covered by a workspace on it or an ancestor. */
  allowed(path: string, permission: Permission): boolean {
    return this.model.workspaces.some(
      (workspace) =>
        workspace[permission] && (path === workspace.path || path.startsWith(`${workspace.path}/`)),
    );
  }

  private writesOf(values: GivenObject['values']): FieldWrite[] {
    return Object.entries(values).flatMap(([name, value]): FieldWrite[] => {
      const field = this.model.fields.get(name);
      if (!field) throw new Error(`the class has no field ${name}`);
      if (!field.localized) {
        if (typeof value === 'object' && value !== null) throw new Error(`${name} takes text`);
        return [{ field, value }];
      }
      if (typeof value !== 'object' || value === null) throw new Error(`${name} takes {language: text}`);
      return Object.entries(value).map(([language, text]) => {
        if (!this.languages.includes(language)) throw new Error(`${name}: unknown language ${language}`);
        return { field, value: text, language };
      });
    });
  }

  private notify(event: ObjectSave['event'], object: SimulatedObject, versionOnly = false): void {
    const save: ObjectSave = { event, object, versionOnly, timestamp: Math.floor(Date.now() / 1000) };
    for (const listener of this.listeners) listener(save);
  }
}
