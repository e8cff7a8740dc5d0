/**
 * The fatal errors of an ingestion. Each class's `name` is what the state machine's Catch and the
 * IngestionFailed event show, so the names are part of the contract (docs/ingestion.md, "Fatal errors").
 */

/** Any reason the upload as a whole cannot be ingested (the classes below), as opposed to a bug. */
export abstract class UnreadableUpload extends Error {
  /** What validation had read when the upload broke off (set by validateItems), to say how far it is fine. */
  readBefore?: { readonly total: number; readonly valid: number; readonly rejected: number };
}

/** The upload is not JSON (array) or not NDJSON; says where, as closely as the parser can tell. */
export class NotJson extends UnreadableUpload {
  override readonly name = 'NotJson';

  constructor(
    message: string,
    /** Byte offset in the upload at or before which the JSON breaks (array uploads). */
    readonly offset?: number,
    /** 1-based line of the broken value (NDJSON uploads). */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** The upload has no bytes, or only whitespace. */
export class EmptyFile extends UnreadableUpload {
  override readonly name = 'EmptyFile';
}

/** The upload starts with something other than `[` (a JSON array) or `{` (NDJSON objects). */
export class NotArrayOrNdjson extends UnreadableUpload {
  override readonly name = 'NotArrayOrNdjson';
}

/** The upload is longer than the configured maximum; reading stops there. */
export class ObjectTooLarge extends UnreadableUpload {
  override readonly name = 'ObjectTooLarge';
}

/** Every item of the upload was rejected (or there were none): thrown by validateItems. */
export class NoValidProduct extends UnreadableUpload {
  override readonly name = 'NoValidProduct';
}

/** The upload is gzip and decompresses to more than the configured maximum; reading stops there. */
export class DecompressedTooLarge extends UnreadableUpload {
  override readonly name = 'DecompressedTooLarge';
}

/** The upload starts as gzip does (bytes 1f 8b) but cannot be decompressed: corrupt or cut short. */
export class CorruptGzip extends UnreadableUpload {
  override readonly name = 'CorruptGzip';
}

/** The upload is not UTF-8 where no product can be blamed (before its first product); says where. */
export class InvalidUtf8 extends UnreadableUpload {
  override readonly name = 'InvalidUtf8';

  constructor(
    message: string,
    /** Byte offset in the (decompressed) upload of the first byte that is not UTF-8. */
    readonly offset: number,
  ) {
    super(message);
  }
}
