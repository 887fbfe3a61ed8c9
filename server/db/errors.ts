import { GraphQLError } from 'graphql';

// What the database's refusals mean, in one place: each check reads the SQLSTATE through any wrapping.

/** The SQLSTATE of a PostgreSQL error (node-postgres and PGlite both set `code`), through any wrapping. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What to tell the caller when the database refused a value they sent. Inputs are checked before they
 * reach a statement; this is the one translation for whatever still gets through: class 22 (data
 * exceptions: out of range, bad syntax, bad encoding, bad pattern) and 54000 (a value too large to
 * index) are the caller's input, not a fault of the server. Undefined for every other error.
 */
export function databaseInputMessage(error: unknown): string | undefined {
  const state = sqlState(error);
  if (state === undefined || !(state.startsWith('22') || state === '54000')) return undefined;
  let cause = error;
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  const detail = cause instanceof Error ? cause.message : 'the value is not valid';
  // $regex patterns are the only regular expressions callers send; PostgreSQL compiles them.
  if (state === '2201B') {
    return `Invalid filter: a "$regex" pattern is not a valid regular expression (${detail.replace(/^invalid regular expression: /, '')}).`;
  }
  return `A value in the request cannot be stored or compared (${detail}). Fix it and try again.`;
}

/** A unique constraint refused the row (23505): the name or key is taken. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** A foreign key refused the change (23503): a row it depends on, or one that depends on it, changed meanwhile. */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlState(error) === '23503';
}
