import { ObjectStore, type FieldWrite, type NewObject, type SimulatedObject } from './object-store';
import type { PimcoreModel, Workspace } from './pimcore-artifacts';
import { RequestControls } from './request-controls';

/** One save of an object, as Pimcore's postAdd / postUpdate events (and so Datahub Webhooks) see it. */
export interface ObjectSave {
  /** postAdd for the first save, postUpdate for the others (publication changes included). */
  readonly event: 'postAdd' | 'postUpdate';
  readonly object: SimulatedObject;
}
export type SaveListener = (save: ObjectSave) => void;

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

  create(request: NewObject): SimulatedObject {
    const object = this.store.create({ ...request, published: request.published || this.autoPublish });
    this.notify('postAdd', object);
    return object;
  }

  update(id: number, writes: readonly FieldWrite[], omitMandatoryCheck = false): SimulatedObject {
    const object = this.store.update(id, writes, omitMandatoryCheck);
    this.notify('postUpdate', object);
    return object;
  }

  setPublished(id: number, published: boolean): SimulatedObject {
    const object = this.store.setPublished(id, published);
    this.notify('postUpdate', object);
    return object;
  }

  /** Called after every save: creation, update, publish, unpublish; returns an unsubscribe. */
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

  private notify(event: ObjectSave['event'], object: SimulatedObject): void {
    for (const listener of this.listeners) listener({ event, object });
  }
}
