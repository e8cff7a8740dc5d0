export type { SimulatedObject } from './object-store';
export type { ObjectSave, SaveListener } from './pimcore-backend';
export { PimcoreSimulator, type PimcoreSimulatorOptions } from './pimcore-simulator';
export type { InjectedFailure } from './request-controls';
export { PimcoreWebhookSender, type WebhookSenderOptions } from './webhook-sender';
