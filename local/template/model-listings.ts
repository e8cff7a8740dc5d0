import type { ResourceListing } from './stack-model';

/** Collects what a template holds that the runtime does not emulate, so start-up can list it. */
export class ModelListings {
  readonly unsupported: ResourceListing[] = [];
  readonly notEmulated: ResourceListing[] = [];
  readonly standIns: ResourceListing[] = [];

  addUnsupported(logicalId: string, type: string, reason: string): void {
    this.unsupported.push({ logicalId, type, reason });
  }

  addNotEmulated(logicalId: string, type: string, reason: string): void {
    this.notEmulated.push({ logicalId, type, reason });
  }

  addStandIn(logicalId: string, type: string, reason: string): void {
    this.standIns.push({ logicalId, type, reason });
  }
}

/** A numeric template property (CloudFormation accepts numbers and numeric strings alike). */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}
