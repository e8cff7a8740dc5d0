import { createHash } from 'node:crypto';
import type { MessageAttributes } from './message-attributes';

export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * MD5OfMessageAttributes exactly as SQS computes it (SQS Developer Guide, "Calculating the MD5 message
 * digest for message attributes"): attributes sorted by name; for each, the name, the data type and the
 * value as 4-byte big-endian length + bytes, with one transport byte (1 = String/Number, 2 = Binary)
 * between type and value. Undefined when there are no attributes, as SQS then omits the field.
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string | undefined {
  if (attributes.size === 0) return undefined;
  const hash = createHash('md5');
  for (const name of [...attributes.keys()].sort()) {
    const attribute = attributes.get(name)!;
    const binary = attribute.binaryValue !== undefined;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(attribute.dataType, 'utf8')));
    hash.update(Buffer.of(binary ? 2 : 1));
    hash.update(
      lengthPrefixed(binary ? attribute.binaryValue! : Buffer.from(attribute.stringValue ?? '', 'utf8')),
    );
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
