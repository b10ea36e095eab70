/**
 * Opaque keyset cursors. A cursor carries the sort key of the last row served and a tag for
 * the listing it belongs to, so a cursor from another listing or a hand-edited one is refused
 * instead of silently returning the wrong page.
 */
import { invalidArgument } from '../../shared/errors';

export type KeyValue = string | number;

export function encodeCursor(tag: string, key: KeyValue[]): string {
  return Buffer.from(JSON.stringify([tag, ...key]), 'utf8').toString('base64url');
}

export function decodeCursor(tag: string, cursor: string, arity: number): KeyValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidArgument('The page cursor is not valid; start again from the first page.', { cursor });
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== tag ||
    parsed.length !== arity + 1 ||
    !parsed.slice(1).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  ) {
    throw invalidArgument('The page cursor belongs to another listing or sort order; start again from the first page.', {
      cursor,
    });
  }
  return parsed.slice(1) as KeyValue[];
}
