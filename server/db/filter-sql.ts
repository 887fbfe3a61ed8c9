import { sql, type RawBuilder } from 'kysely';
import type { FieldInfo, FieldTest, Filter, FilterValue } from '../graphql/filters.js';

// A parsed filter (graphql/filters.ts) as a SQL condition with bound parameters only. The repositories
// say what each field is in SQL (`FieldSpec`); this file is the one place the tree becomes SQL.

export interface FieldSpec extends FieldInfo {
  column: RawBuilder<unknown>;
  /** What `$regex` and `$contains` match against, when it differs from the column (registry names drop their prefix). */
  regexColumn?: RawBuilder<unknown>;
  /** Maps an equality value to the stored one (registry names may come with or without their prefix). */
  normalize?: (value: string) => string;
  /**
   * Wraps the field's whole condition, for fields that live in another table (a tag or alias is
   * matched with `exists (select … where … and <condition>)`).
   */
  wrap?: (condition: RawBuilder<boolean>) => RawBuilder<boolean>;
}

export type FieldSpecs = (name: string) => FieldSpec | undefined;

type Condition = RawBuilder<boolean>;

const TRUE = sql<boolean>`true`;
const COMPARISONS = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function value(spec: FieldSpec, v: FilterValue): RawBuilder<unknown> {
  if (spec.kind === 'json') return sql`${JSON.stringify(v)}::jsonb`;
  if (v instanceof Date) return sql`${v.toISOString()}::timestamptz`;
  if (typeof v === 'string' && spec.normalize) return sql`${spec.normalize(v)}`;
  return sql`${v}`;
}

function testSql(spec: FieldSpec, test: FieldTest): Condition {
  switch (test.op) {
    case 'null':
      return sql<boolean>`${spec.column} is null`;
    case 'notNull':
      return sql<boolean>`${spec.column} is not null`;
    case 'in':
    case 'nin': {
      if (test.values.length === 0) return test.op === 'in' ? sql<boolean>`false` : TRUE;
      const list = sql.join(test.values.map((v) => value(spec, v)));
      return test.op === 'in' ? sql<boolean>`${spec.column} in (${list})` : sql<boolean>`${spec.column} not in (${list})`;
    }
    case 'regex':
      return sql<boolean>`${spec.regexColumn ?? spec.column} ~ ${test.text}`;
    case 'contains':
      return sql<boolean>`strpos(${spec.regexColumn ?? spec.column}, ${test.text}) > 0`;
    case 'not':
      return sql<boolean>`not coalesce(${all(test.tests.map((t) => testSql(spec, t)))}, false)`;
    default:
      return sql<boolean>`${spec.column} ${sql.raw(COMPARISONS[test.op])} ${value(spec, test.value)}`;
  }
}

function all(conditions: Condition[]): Condition {
  if (conditions.length === 0) return TRUE;
  if (conditions.length === 1) return conditions[0] as Condition;
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

function filterCondition(filter: Filter, specs: FieldSpecs): Condition {
  switch (filter.kind) {
    case 'true':
      return TRUE;
    case 'false':
      return sql<boolean>`false`;
    case 'and':
      return all(filter.parts.map((part) => filterCondition(part, specs)));
    case 'or':
    case 'nor': {
      const joined = sql<boolean>`(${sql.join(
        filter.parts.map((part) => filterCondition(part, specs)),
        sql` or `,
      )})`;
      return filter.kind === 'nor' ? sql<boolean>`not coalesce(${joined}, false)` : joined;
    }
    case 'field': {
      const spec = specs(filter.field);
      // The parser accepted only fields the same resolver knows.
      if (!spec) throw new Error(`no SQL for filter field "${filter.field}"`);
      const condition = all(filter.tests.map((test) => testSql(spec, test)));
      return spec.wrap ? spec.wrap(condition) : condition;
    }
  }
}

/** The condition of `filter` over the fields `specs` describes; undefined for no filter. */
export function filterSql(filter: Filter | undefined, specs: FieldSpecs): RawBuilder<boolean> | undefined {
  return filter && filterCondition(filter, specs);
}
