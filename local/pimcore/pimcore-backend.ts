import { ObjectStore, type NewObject, type SimulatedObject } from './object-store';
import type { PimcoreModel, Workspace } from './pimcore-artifacts';
import { RequestControls } from './request-controls';

export interface PublicationChange {
  readonly id: number;
  readonly published: boolean;
  readonly object: SimulatedObject;
}
export type PublicationListener = (change: PublicationChange) => void;

type Permission = keyof Omit<Workspace, 'path'>;

/** What both simulated APIs share: the objects, the Datahub workspaces, publication and its listeners. */
export class PimcoreBackend {
  readonly store: ObjectStore;
  readonly controls = new RequestControls();
  private readonly listeners = new Set<PublicationListener>();

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
    if (object.published) this.notify(object);
    return object;
  }

  setPublished(id: number, published: boolean): SimulatedObject {
    const object = this.store.setPublished(id, published);
    this.notify(object);
    return object;
  }

  onPublicationChange(listener: PublicationListener): () => void {
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

  private notify(object: SimulatedObject): void {
    for (const listener of this.listeners) listener({ id: object.id, published: object.published, object });
  }
}
