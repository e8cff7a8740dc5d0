/** Injection tokens for the worker's plain (non-class) dependencies. */
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
export const REDIS = Symbol('REDIS');
export const SQS = Symbol('SQS');
export const PIMCORE = Symbol('PIMCORE');
export const EVENT_BRIDGE = Symbol('EVENT_BRIDGE');
export const MEDUSA = Symbol('MEDUSA');
