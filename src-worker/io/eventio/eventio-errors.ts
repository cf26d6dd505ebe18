/**
 * The one error type of the EventIO reader. Every failure while reading a
 * file (not EventIO, unsupported compression, truncated, corrupt headers or
 * contents, objects larger than the limits) becomes an EventIOError whose
 * message names the file and says where and what to do, so callers never see
 * a bare RangeError or a decoder's cryptic code.
 */
export type EventIOErrorKind =
  /** not an EventIO file at all (no sync marker, unknown magic) */
  | 'not-eventio'
  /** a compression or format we do not read (bzip2, xz, lz4, zip, big zstd windows) */
  | 'unsupported'
  /** the file ends inside an object or a compressed stream */
  | 'truncated'
  /** headers, lengths or contents that cannot be right */
  | 'corrupt'
  /** an object (or a count inside one) larger than the reader's limits */
  | 'too-large'
  /** the file could not be read (permissions, vanished, ...) */
  | 'io'
  /** the caller asked for something that is not there (event index out of range) */
  | 'range'
  /** the caller aborted the work */
  | 'aborted';

export class EventIOError extends Error {
  override readonly name = 'EventIOError';
  constructor(
    readonly kind: EventIOErrorKind,
    /** the file, as given by the caller */
    readonly file: string,
    message: string,
    /** decompressed byte offset the problem was found at, when known */
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** Whether `e` is an EventIOError (also across bundles, by name). */
export function isEventIOError(e: unknown): e is EventIOError {
  return e instanceof EventIOError || (e instanceof Error && e.name === 'EventIOError' && 'kind' in e);
}

/**
 * A parse failure inside one object's bytes, before the file name is known;
 * the file layer turns it into an EventIOError naming file, object and offset.
 */
export class ObjectParseError extends Error {
  override readonly name = 'ObjectParseError';
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'unsupported' | 'too-large' = 'corrupt',
  ) {
    super(message);
  }
}
