/**
 * What a value must be for PostgreSQL to take it, checked before it reaches a statement: the
 * database would otherwise refuse it with an error the caller cannot act on.
 */

/** PostgreSQL `integer`, the type of every id and version index. */
export const INTEGER_MIN = -2147483648;
export const INTEGER_MAX = 2147483647;

export function isDatabaseInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= INTEGER_MIN && value <= INTEGER_MAX;
}

/**
 * Dates we accept: years 1 to 9999. PostgreSQL's own range is wider but JavaScript prints years
 * outside this one (`+275760-09-13`, `0000-…`) in forms PostgreSQL does not read.
 */
export const DATE_RANGE = '0001-01-01 to 9999-12-31';
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** The date a text names, when it names one in DATE_RANGE. */
export function parseDatabaseDate(text: string): Date | undefined {
  const time = Date.parse(text);
  return time >= EARLIEST && time <= LATEST ? new Date(time) : undefined;
}

// NUL, and UTF-16 halves without their other half (JSON's "\ud800" makes one), have no UTF-8 form.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Names the first character PostgreSQL text cannot hold, e.g. "a NUL character (U+0000)"; undefined when there is none. */
export function unstorableCharacter(text: string): string | undefined {
  const match = UNSTORABLE.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return code === 0 ? 'a NUL character (U+0000)' : `an unpaired surrogate (U+${hex})`;
}

/** The text with every such character replaced by U+FFFD, to quote it in a message. */
export function printable(text: string): string {
  return text.replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD');
}

/** unstorableCharacter for a whole JSON value: its strings and its object keys. */
export function unstorableInJson(value: unknown, depth = 0): string | undefined {
  // JSON.parse cannot nest deeper than the request size allows; the bound only keeps the stack small.
  if (depth > 200) return undefined;
  if (typeof value === 'string') return unstorableCharacter(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = unstorableInJson(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = unstorableCharacter(key) ?? unstorableInJson(item, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * unstorableCharacter for a string holding JSON, inside the JSON included: `"\u0000"` is six harmless
 * characters as text but a NUL once parsed. Text that is not JSON is left for its reader to refuse.
 */
export function unstorableInJsonText(text: string): string | undefined {
  const raw = unstorableCharacter(text);
  if (raw || !text.includes('\\u')) return raw;
  try {
    return unstorableInJson(JSON.parse(text));
  } catch {
    return undefined;
  }
}
