import { InvalidArgumentError } from 'commander';

/**
 * `trace`'s argument → the product's externalId: an externalId as the pipeline writes it
 * (`shein:<goods_id>`, lambdas/domain/transform.ts), or Shein's goods_id alone.
 */
export function externalIdOf(text: string): string {
  const value = text.trim();
  if (/^\d+$/.test(value)) return `shein:${value}`;
  if (/^shein:\S+$/.test(value)) return value;
  throw new InvalidArgumentError('an externalId (shein:<goods_id>) or a Shein goods_id (digits)');
}
