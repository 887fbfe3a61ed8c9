import { userError } from './errors.js';
import { isDatabaseInteger, parseDatabaseDate, unstorableCharacter } from './input-values.js';

/**
 * Keyset cursors: the sort value and the id of the last row seen, so a cursor stays valid while rows
 * are inserted (offsets would shift). Opaque to clients.
 */
export interface CursorValue {
  v: string | number | null;
  id: number;
}

/** The kind of column a cursor's sort value is compared with. */
export type CursorKind = 'text' | 'integer' | 'date';

const INVALID = 'The cursor is not valid: pass an endCursor returned by this same query';

export function encodeCursor(value: CursorValue): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Whether a cursor's sort value can be compared with a column of that kind (a date within DATE_RANGE). */
export function cursorFits(v: CursorValue['v'], kind: CursorKind): boolean {
  if (kind === 'date') return typeof v === 'string' && parseDatabaseDate(v) !== undefined;
  return kind === 'integer' ? isDatabaseInteger(v) : typeof v === 'string';
}

/**
 * Reads an `after` argument. Cursors are ours, so anything we would not have written is refused: ids
 * are `integer`s, sort values text or `integer`s, and, given the kind of the sort column, of that kind.
 */
export function decodeCursor(cursor: string | null | undefined, kind?: CursorKind): CursorValue | undefined {
  if (cursor == null || cursor === '') return undefined;
  let parsed: unknown;
  try {
    parsed = cursor.length > 1000 ? undefined : JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // refused below
  }
  if (parsed && typeof parsed === 'object' && 'id' in parsed && 'v' in parsed) {
    const { id, v } = parsed as { id: unknown; v: unknown };
    const value = v === null || (typeof v === 'string' && !unstorableCharacter(v)) || isDatabaseInteger(v);
    if (isDatabaseInteger(id) && id >= 0 && value) {
      const decoded = { id, v: v as CursorValue['v'] };
      if (kind === undefined || cursorFits(decoded.v, kind)) return decoded;
      throw userError('BAD_USER_INPUT', `${INVALID}, with the same order.`);
    }
  }
  throw userError('BAD_USER_INPUT', `${INVALID}.`);
}

/** Page size: default 50, at most `max` rows a page (1000 unless a connection allows more). */
export function pageSize(first: number | null | undefined, max = 1000): number {
  if (first == null) return 50;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw userError('BAD_USER_INPUT', `"first" must be between 0 and ${max}, got ${first}.`);
  }
  return first;
}
