import { sql, type RawBuilder } from 'kysely';
import { userError } from './errors.js';
import { DATE_RANGE, INTEGER_MAX, INTEGER_MIN, isDatabaseInteger, parseDatabaseDate } from './input-values.js';

/**
 * The SDK's MongoDB-like filter language, compiled to SQL with bound parameters only.
 * Each query names the fields it accepts; anything else is a BAD_USER_INPUT error that names it.
 */
export type FieldKind = 'text' | 'number' | 'date' | 'json';

export interface FieldSpec {
  /** `number` fields are PostgreSQL `integer` columns (ids): they compare with whole numbers in its range. */
  kind: FieldKind;
  column: RawBuilder<unknown>;
  /** What `$regex` matches against, when it differs from the column (registry names drop their prefix). */
  regexColumn?: RawBuilder<unknown>;
  /** Maps an equality value to the stored one (registry names may come with or without their prefix). */
  normalize?: (value: string) => string;
  /**
   * Wraps the field's whole condition, for fields that live in another table (a tag or alias is
   * matched with `exists (select … where … and <condition>)`).
   */
  wrap?: (condition: RawBuilder<boolean>) => RawBuilder<boolean>;
}

export type FieldResolver = (name: string) => FieldSpec | undefined;

type Condition = RawBuilder<boolean>;

const MAX_FILTER_CHARS = 20_000;
const MAX_DEPTH = 12;
const MAX_LIST = 1000;
const MAX_STRING = 1000;

const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

const TRUE = sql<boolean>`true`;

function bad(message: string): never {
  throw userError('BAD_USER_INPUT', `Invalid filter: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(field: string, spec: FieldSpec, value: unknown): RawBuilder<unknown> {
  if (spec.kind === 'json') {
    // JSON values (metadata) compare as JSON: numbers as numbers, strings as strings.
    if (typeof value === 'string' && value.length > MAX_STRING) bad(`the value for "${field}" is longer than ${MAX_STRING} characters.`);
    if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
      return bad(`"${field}" takes a string, number or boolean, got ${JSON.stringify(value)?.slice(0, 80)}.`);
    }
    return sql`${JSON.stringify(value)}::jsonb`;
  }
  if (spec.kind === 'number') {
    // The SDK sends ids as numbers, some callers as numeric strings; anything else no id can equal
    // (1.5, 1e300) is a mistake worth saying rather than an empty answer.
    const number = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
    if (isDatabaseInteger(number)) return sql`${number}`;
    return bad(`"${field}" takes an integer from ${INTEGER_MIN} to ${INTEGER_MAX}, got ${JSON.stringify(value)?.slice(0, 80)}.`);
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    return bad(`"${field}" takes a string, got ${JSON.stringify(value)?.slice(0, 80)}.`);
  }
  const text = String(value);
  if (text.length > MAX_STRING) bad(`the value for "${field}" is longer than ${MAX_STRING} characters.`);
  if (spec.kind === 'date') {
    const date = parseDatabaseDate(text);
    if (!date) bad(`"${field}" takes a date from ${DATE_RANGE} such as "2026-01-31T12:00:00Z", got "${text.slice(0, 80)}".`);
    return sql`${date.toISOString()}::timestamptz`;
  }
  return sql`${spec.normalize ? spec.normalize(text) : text}`;
}

function operator(field: string, spec: FieldSpec, op: string, value: unknown, depth: number): Condition {
  const comparison = COMPARISONS[op];
  if (comparison) {
    if (value === null && (op === '$eq' || op === '$ne')) {
      return op === '$eq' ? sql<boolean>`${spec.column} is null` : sql<boolean>`${spec.column} is not null`;
    }
    return sql<boolean>`${spec.column} ${sql.raw(comparison)} ${scalar(field, spec, value)}`;
  }
  switch (op) {
    case '$in':
    case '$nin': {
      if (!Array.isArray(value)) bad(`"${op}" on "${field}" takes a list.`);
      if (value.length > MAX_LIST) bad(`"${op}" on "${field}" takes at most ${MAX_LIST} values.`);
      if (value.length === 0) return op === '$in' ? sql<boolean>`false` : TRUE;
      const list = sql.join(value.map((v) => scalar(field, spec, v)));
      return op === '$in' ? sql<boolean>`${spec.column} in (${list})` : sql<boolean>`${spec.column} not in (${list})`;
    }
    case '$regex': {
      if (typeof value !== 'string' || value.length > MAX_STRING) bad(`"$regex" on "${field}" takes a pattern string.`);
      if (spec.kind !== 'text' && !(spec.kind === 'json' && spec.regexColumn))
        bad(`"$regex" works on text fields; "${field}" is a ${spec.kind}.`);
      return sql<boolean>`${spec.regexColumn ?? spec.column} ~ ${value}`;
    }
    case '$contains': {
      if (typeof value !== 'string' || value.length > MAX_STRING) bad(`"$contains" on "${field}" takes a string.`);
      if (spec.kind !== 'text' && !(spec.kind === 'json' && spec.regexColumn))
        bad(`"$contains" works on text fields; "${field}" is a ${spec.kind}.`);
      return sql<boolean>`strpos(${spec.regexColumn ?? spec.column}, ${value}) > 0`;
    }
    case '$exists':
      if (typeof value !== 'boolean') bad(`"$exists" on "${field}" takes true or false.`);
      return value ? sql<boolean>`${spec.column} is not null` : sql<boolean>`${spec.column} is null`;
    case '$not':
      return sql<boolean>`not coalesce(${fieldCondition(field, spec, value, depth + 1)}, false)`;
    default:
      return bad(`unknown operator "${op}" on "${field}". Use one of $eq $ne $gt $gte $lt $lte $in $nin $regex $contains $exists $not.`);
  }
}

function fieldCondition(field: string, spec: FieldSpec, value: unknown, depth: number): Condition {
  if (depth > MAX_DEPTH) bad(`nested more than ${MAX_DEPTH} levels deep.`);
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) bad(`"${field}" has an empty condition.`);
    if (keys.some((k) => !k.startsWith('$'))) {
      bad(`"${field}" takes a value or operators such as {"$eq": ...}; "${keys.find((k) => !k.startsWith('$'))}" is neither.`);
    }
    return and(keys.map((op) => operator(field, spec, op, value[op], depth)));
  }
  return operator(field, spec, '$eq', value, depth);
}

function and(conditions: Condition[]): Condition {
  if (conditions.length === 0) return TRUE;
  if (conditions.length === 1) return conditions[0] as Condition;
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

function node(filter: unknown, resolve: FieldResolver, depth: number): Condition {
  if (depth > MAX_DEPTH) bad(`nested more than ${MAX_DEPTH} levels deep.`);
  if (!isRecord(filter)) bad('a filter is a JSON object such as {"name": "x"}.');
  const conditions: Condition[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(value) || value.length > MAX_LIST) bad(`"${key}" takes a list of filters.`);
      if (value.length === 0) {
        conditions.push(key === '$or' ? sql<boolean>`false` : TRUE);
        continue;
      }
      const parts = value.map((f) => node(f, resolve, depth + 1));
      const joined = sql<boolean>`(${sql.join(parts, key === '$and' ? sql` and ` : sql` or `)})`;
      conditions.push(key === '$nor' ? sql<boolean>`not coalesce(${joined}, false)` : joined);
    } else if (key.startsWith('$')) {
      bad(`unknown operator "${key}" at the top level. Use $and, $or, $nor or a field name.`);
    } else {
      const spec = resolve(key);
      if (!spec) bad(`unknown field "${key.slice(0, 80)}".`);
      const condition = fieldCondition(key, spec, value, depth + 1);
      conditions.push(spec.wrap ? spec.wrap(condition) : condition);
    }
  }
  return and(conditions);
}

/** Parses a JSONString filter argument and compiles it; `undefined` when there is no filter. */
export function compileFilter(json: string | null | undefined, resolve: FieldResolver): Condition | undefined {
  if (json == null || json.trim() === '') return undefined;
  if (json.length > MAX_FILTER_CHARS) bad(`longer than ${MAX_FILTER_CHARS} characters.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return bad('not valid JSON.');
  }
  if (isRecord(parsed) && Object.keys(parsed).length === 0) return undefined;
  return node(parsed, resolve, 0);
}

/**
 * Takes a top-level text equality on `field` out of a filter (`{"alias": "x", …}` or
 * `{"alias": {"$eq": "x"}, …}`): the value, and the rest of the filter to compile. For queries that
 * join on the field's index instead. Anything else stays in the filter, for compileFilter to judge.
 */
export function takeEquality(json: string | null | undefined, field: string): { value: string; rest: string } | undefined {
  if (json == null || json.length > MAX_FILTER_CHARS) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { [field]: condition, ...rest } = parsed;
  const value = isRecord(condition) && Object.keys(condition).length === 1 ? condition.$eq : condition;
  if (typeof value !== 'string' || value.length > MAX_STRING) return undefined;
  return { value, rest: JSON.stringify(rest) };
}

export interface Order {
  field: string;
  direction: 'asc' | 'desc';
}

/** Parses `"+field"` / `"-field"` (no sign means ascending) against the fields a query can sort by. */
export function parseOrder(order: string | null | undefined, allowed: readonly string[], fallback: Order): Order {
  if (order == null || order.trim() === '') return fallback;
  const match = /^([+-]?)([A-Za-z_.]{1,64})$/.exec(order.trim());
  if (!match || !allowed.includes(match[2] ?? '')) {
    throw userError(
      'BAD_USER_INPUT',
      `Cannot order by "${order.slice(0, 80)}". Use "+field" or "-field" with one of: ${allowed.join(', ')}.`,
    );
  }
  return { field: match[2] as string, direction: match[1] === '-' ? 'desc' : 'asc' };
}
