export type { SimulatedObject } from './object-store';
export type { GivenObject, ObjectSave, SaveListener } from './pimcore-backend';
export { PimcoreSimulator, type PimcoreSimulatorOptions } from './pimcore-simulator';
export type { InjectedFailure } from './request-controls';
export { PimcoreWebhookSender, type WebhookAuth, type WebhookSenderOptions } from './webhook-sender';
