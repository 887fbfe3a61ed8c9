import { userError } from './errors.js';

/**
 * Keyset cursors: the sort value and the id of the last row seen, so a cursor stays valid while rows
 * are inserted (offsets would shift). Opaque to clients.
 */
export interface CursorValue {
  v: string | number | null;
  id: number;
}

export function encodeCursor(value: CursorValue): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): CursorValue | undefined {
  if (cursor == null || cursor === '') return undefined;
  try {
    if (cursor.length > 1000) throw new Error('too long');
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && 'id' in parsed && 'v' in parsed) {
      const { id, v } = parsed as { id: unknown; v: unknown };
      if (Number.isInteger(id) && (v === null || typeof v === 'string' || typeof v === 'number')) {
        return { id: id as number, v };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw userError('BAD_USER_INPUT', 'The cursor is not valid: pass an endCursor returned by this same query.');
}

/** Page size: default 50, at most `max` rows a page (1000 unless a connection allows more). */
export function pageSize(first: number | null | undefined, max = 1000): number {
  if (first == null) return 50;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw userError('BAD_USER_INPUT', `"first" must be between 0 and ${max}, got ${first}.`);
  }
  return first;
}
