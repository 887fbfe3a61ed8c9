import { userError } from '../../graphql/errors.js';
import { parseFilter, type FieldInfo, type FieldTest, type Filter, type FilterValue } from '../../graphql/filters.js';
import type { EventAction } from '../events/repository.js';

/** The W&B event types an automation can react to, and the event rows (docs/events.md) each one is. */
export const EVENT_TYPE_ACTIONS = {
  LINK_MODEL: ['version.linked'],
  UNLINK_ARTIFACT: ['version.unlinked'],
  ADD_ARTIFACT_ALIAS: ['alias.added', 'alias.moved'],
  CREATE_ARTIFACT: ['version.created'],
  ADD_ARTIFACT_TAG: ['version.tag_added'],
  REMOVE_ARTIFACT_TAG: ['version.tag_removed'],
  ADD_COLLECTION_TAG: ['collection.tag_added'],
  REMOVE_COLLECTION_TAG: ['collection.tag_removed'],
} as const satisfies Record<string, readonly EventAction[]>;

export type EventType = keyof typeof EVENT_TYPE_ACTIONS;
export const EVENT_TYPES = Object.keys(EVENT_TYPE_ACTIONS) as EventType[];

/** The event type an event row is, or undefined when no automation reacts to it. */
export function eventTypeOf(action: string): EventType | undefined {
  return EVENT_TYPES.find((type) => (EVENT_TYPE_ACTIONS[type] as readonly string[]).includes(action));
}

/** What a filter can ask of an event. */
export type EventRecord = Record<string, string | number | undefined>;

const EVENT_FIELDS: Record<string, FieldInfo> = {
  alias: { kind: 'text' },
  tag: { kind: 'text' },
  artifact_collection_name: { kind: 'text' },
  collection_name: { kind: 'text' },
  project_name: { kind: 'text' },
  event_author: { kind: 'text' },
  version_index: { kind: 'number' },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The filter's own text: the SDK wraps it as `{"filter": …}` (an object, or JSON text); a bare filter
 * is taken as it is.
 */
function unwrap(json: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw userError('BAD_USER_INPUT', 'Invalid event filter: not valid JSON.');
  }
  if (isRecord(parsed) && Object.keys(parsed).length === 1 && 'filter' in parsed) {
    const inner = parsed.filter;
    return typeof inner === 'string' ? inner : JSON.stringify(inner ?? {});
  }
  return json;
}

function regexesCompile(filter: Filter): void {
  if (filter.kind === 'and' || filter.kind === 'or' || filter.kind === 'nor') filter.parts.forEach(regexesCompile);
  if (filter.kind !== 'field') return;
  const visit = (tests: FieldTest[]): void => {
    for (const test of tests) {
      if (test.op === 'not') visit(test.tests);
      if (test.op === 'regex') {
        try {
          new RegExp(test.text);
        } catch {
          throw userError('BAD_USER_INPUT', `Invalid event filter: "${test.text.slice(0, 80)}" is not a regular expression.`);
        }
      }
    }
  };
  visit(filter.tests);
}

/** Parses and checks an automation's event filter; undefined matches every event. */
export function parseEventFilter(json: string): Filter | undefined {
  const filter = parseFilter(unwrap(json), (name) => EVENT_FIELDS[name]);
  if (filter) regexesCompile(filter);
  return filter;
}

function compare(actual: string | number, expected: FilterValue): number {
  const other = expected instanceof Date ? expected.getTime() : expected;
  if (typeof actual === 'number' && typeof other === 'number') return actual - other;
  const a = String(actual);
  const b = String(other);
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(test: FieldTest, value: string | number | undefined): boolean {
  switch (test.op) {
    case 'null':
      return value === undefined;
    case 'notNull':
      return value !== undefined;
    case 'not':
      return !test.tests.every((t) => holds(t, value));
    case 'ne':
      return value === undefined || compare(value, test.value) !== 0;
    case 'nin':
      return value === undefined || !test.values.some((v) => compare(value, v) === 0);
    default:
      break;
  }
  if (value === undefined) return false;
  switch (test.op) {
    case 'eq':
      return compare(value, test.value) === 0;
    case 'gt':
      return compare(value, test.value) > 0;
    case 'gte':
      return compare(value, test.value) >= 0;
    case 'lt':
      return compare(value, test.value) < 0;
    case 'lte':
      return compare(value, test.value) <= 0;
    case 'in':
      return test.values.some((v) => compare(value, v) === 0);
    case 'regex':
      return new RegExp(test.text).test(String(value));
    case 'contains':
      return String(value).includes(test.text);
  }
}

/** Whether an event passes a parsed filter (evaluated here, not in SQL: one event at a time). */
export function eventMatches(filter: Filter | undefined, event: EventRecord): boolean {
  if (!filter) return true;
  switch (filter.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return filter.parts.every((part) => eventMatches(part, event));
    case 'or':
      return filter.parts.some((part) => eventMatches(part, event));
    case 'nor':
      return !filter.parts.some((part) => eventMatches(part, event));
    case 'field':
      return filter.tests.every((test) => holds(test, event[filter.field]));
  }
}
