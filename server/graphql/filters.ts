import { userError } from './errors.js';
import { DATE_RANGE, INTEGER_MAX, INTEGER_MIN, isDatabaseInteger, parseDatabaseDate } from './input-values.js';

/**
 * The SDK's MongoDB-like filter language, parsed and checked into a plain tree (`Filter`); the
 * repositories turn a tree into SQL (db/filter-sql.ts). Each query names the fields it accepts; anything
 * else is a BAD_USER_INPUT error that names it.
 */
export type FieldKind = 'text' | 'number' | 'date' | 'json';

export interface FieldInfo {
  /** `number` fields are PostgreSQL `integer` columns (ids): they compare with whole numbers in its range. */
  kind: FieldKind;
  /** A `json` field that `$regex` and `$contains` may search as text (text fields always may). */
  searchable?: boolean;
}

export type FieldKinds = (name: string) => FieldInfo | undefined;

/** A checked value of its field's kind: text, an integer, a date, or (json fields) a JSON scalar. */
export type FilterValue = string | number | boolean | Date;

export type FieldTest =
  | { op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; value: FilterValue }
  | { op: 'null' | 'notNull' }
  | { op: 'in' | 'nin'; values: FilterValue[] }
  | { op: 'regex' | 'contains'; text: string }
  /** Not all of `tests` hold (a missing value counts as not holding). */
  | { op: 'not'; tests: FieldTest[] };

export type Filter =
  | { kind: 'true' | 'false' }
  | { kind: 'and' | 'or' | 'nor'; parts: Filter[] }
  /** One field's tests, all of which hold. */
  | { kind: 'field'; field: string; tests: FieldTest[] };

const MAX_FILTER_CHARS = 20_000;
const MAX_DEPTH = 12;
const MAX_LIST = 1000;
const MAX_STRING = 1000;

const COMPARISONS = { $eq: 'eq', $ne: 'ne', $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte' } as const;

function bad(message: string): never {
  throw userError('BAD_USER_INPUT', `Invalid filter: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(field: string, info: FieldInfo, value: unknown): FilterValue {
  if (info.kind === 'json') {
    // JSON values (metadata) compare as JSON: numbers as numbers, strings as strings.
    if (typeof value === 'string' && value.length > MAX_STRING) bad(`the value for "${field}" is longer than ${MAX_STRING} characters.`);
    if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
      return bad(`"${field}" takes a string, number or boolean, got ${JSON.stringify(value)?.slice(0, 80)}.`);
    }
    return value;
  }
  if (info.kind === 'number') {
    // The SDK sends ids as numbers, some callers as numeric strings; anything else no id can equal
    // (1.5, 1e300) is a mistake worth saying rather than an empty answer.
    const number = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
    if (isDatabaseInteger(number)) return number;
    return bad(`"${field}" takes an integer from ${INTEGER_MIN} to ${INTEGER_MAX}, got ${JSON.stringify(value)?.slice(0, 80)}.`);
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    return bad(`"${field}" takes a string, got ${JSON.stringify(value)?.slice(0, 80)}.`);
  }
  const text = String(value);
  if (text.length > MAX_STRING) bad(`the value for "${field}" is longer than ${MAX_STRING} characters.`);
  if (info.kind === 'date') {
    const date = parseDatabaseDate(text);
    if (!date) bad(`"${field}" takes a date from ${DATE_RANGE} such as "2026-01-31T12:00:00Z", got "${text.slice(0, 80)}".`);
    return date;
  }
  return text;
}

function searchable(field: string, info: FieldInfo, op: string): void {
  if (info.kind !== 'text' && !(info.kind === 'json' && info.searchable))
    bad(`"${op}" works on text fields; "${field}" is a ${info.kind}.`);
}

function operator(field: string, info: FieldInfo, op: string, value: unknown, depth: number): FieldTest {
  if (op in COMPARISONS) {
    const compare = COMPARISONS[op as keyof typeof COMPARISONS];
    if (value === null && (compare === 'eq' || compare === 'ne')) return { op: compare === 'eq' ? 'null' : 'notNull' };
    return { op: compare, value: scalar(field, info, value) };
  }
  switch (op) {
    case '$in':
    case '$nin':
      if (!Array.isArray(value)) bad(`"${op}" on "${field}" takes a list.`);
      if (value.length > MAX_LIST) bad(`"${op}" on "${field}" takes at most ${MAX_LIST} values.`);
      return { op: op === '$in' ? 'in' : 'nin', values: value.map((v) => scalar(field, info, v)) };
    case '$regex':
      if (typeof value !== 'string' || value.length > MAX_STRING) bad(`"$regex" on "${field}" takes a pattern string.`);
      searchable(field, info, op);
      return { op: 'regex', text: value };
    case '$contains':
      if (typeof value !== 'string' || value.length > MAX_STRING) bad(`"$contains" on "${field}" takes a string.`);
      searchable(field, info, op);
      return { op: 'contains', text: value };
    case '$exists':
      if (typeof value !== 'boolean') bad(`"$exists" on "${field}" takes true or false.`);
      return { op: value ? 'notNull' : 'null' };
    case '$not':
      return { op: 'not', tests: fieldTests(field, info, value, depth + 1) };
    default:
      return bad(`unknown operator "${op}" on "${field}". Use one of $eq $ne $gt $gte $lt $lte $in $nin $regex $contains $exists $not.`);
  }
}

function fieldTests(field: string, info: FieldInfo, value: unknown, depth: number): FieldTest[] {
  if (depth > MAX_DEPTH) bad(`nested more than ${MAX_DEPTH} levels deep.`);
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) bad(`"${field}" has an empty condition.`);
    if (keys.some((k) => !k.startsWith('$'))) {
      bad(`"${field}" takes a value or operators such as {"$eq": ...}; "${keys.find((k) => !k.startsWith('$'))}" is neither.`);
    }
    return keys.map((op) => operator(field, info, op, value[op], depth));
  }
  return [operator(field, info, '$eq', value, depth)];
}

function node(filter: unknown, fields: FieldKinds, depth: number): Filter {
  if (depth > MAX_DEPTH) bad(`nested more than ${MAX_DEPTH} levels deep.`);
  if (!isRecord(filter)) bad('a filter is a JSON object such as {"name": "x"}.');
  const parts: Filter[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(value) || value.length > MAX_LIST) bad(`"${key}" takes a list of filters.`);
      if (value.length === 0) {
        parts.push({ kind: key === '$or' ? 'false' : 'true' });
        continue;
      }
      parts.push({ kind: key === '$and' ? 'and' : key === '$or' ? 'or' : 'nor', parts: value.map((f) => node(f, fields, depth + 1)) });
    } else if (key.startsWith('$')) {
      bad(`unknown operator "${key}" at the top level. Use $and, $or, $nor or a field name.`);
    } else {
      const info = fields(key);
      if (!info) bad(`unknown field "${key.slice(0, 80)}".`);
      parts.push({ kind: 'field', field: key, tests: fieldTests(key, info, value, depth + 1) });
    }
  }
  if (parts.length === 0) return { kind: 'true' };
  return parts.length === 1 ? (parts[0] as Filter) : { kind: 'and', parts };
}

/** Parses and checks a JSONString filter argument against the fields a query accepts; `undefined` when there is none. */
export function parseFilter(json: string | null | undefined, fields: FieldKinds): Filter | undefined {
  if (json == null || json.trim() === '') return undefined;
  if (json.length > MAX_FILTER_CHARS) bad(`longer than ${MAX_FILTER_CHARS} characters.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return bad('not valid JSON.');
  }
  if (isRecord(parsed) && Object.keys(parsed).length === 0) return undefined;
  return node(parsed, fields, 0);
}

/**
 * Takes a top-level text equality on `field` out of a filter (`{"alias": "x", …}` or
 * `{"alias": {"$eq": "x"}, …}`): the value, and the rest of the filter to compile. For queries that
 * join on the field's index instead. Anything else stays in the filter, for parseFilter to judge.
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
