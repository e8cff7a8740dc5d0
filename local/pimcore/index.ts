export type { SimulatedObject } from './object-store';
export type { PublicationChange, PublicationListener } from './pimcore-backend';
export { PimcoreSimulator, type PimcoreSimulatorOptions } from './pimcore-simulator';
export type { InjectedFailure } from './request-controls';
export { PimcoreWebhookSender, type WebhookSenderOptions } from './webhook-sender';
