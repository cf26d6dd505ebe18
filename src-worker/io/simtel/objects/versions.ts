/** Version checks with pyeventio's rules (version_handling.py): an unknown version is 'unsupported', named. */
import { ObjectParseError } from '../../eventio/eventio-errors.js';
import type { ObjectHeader } from '../../eventio/object-header.js';

export function requireVersion(h: ObjectHeader, versions: readonly number[], name: string): void {
  if (!versions.includes(h.version)) {
    throw new ObjectParseError(`${name} version ${h.version} is not supported (supported: ${versions.join(', ')})`, 'unsupported');
  }
}

export function requireMaxVersion(h: ObjectHeader, last: number, name: string): void {
  if (h.version > last) {
    throw new ObjectParseError(`${name} version ${h.version} is not supported (versions up to ${last})`, 'unsupported');
  }
}
