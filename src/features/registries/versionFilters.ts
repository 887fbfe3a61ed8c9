import { versionIndexOf } from '@shared/names';
import { useFilterParams } from '@/lib/usePageParams';

/** The URL keys of the versions list's filters and sort (paging's `after`/`prev` are usePageParams'). */
const KEYS = ['sort', 'version', 'alias', 'tag', 'from', 'to'] as const;
type Key = (typeof KEYS)[number];

export interface VersionFilterValues {
  /** `oldest` sorts v0 first; anything else is newest first. */
  sort: string;
  /** One version by its name, `v7`. */
  version: string;
  alias: string;
  tag: string;
  /** Days as `YYYY-MM-DD` (what a date input gives), in the viewer's time zone, both included. */
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A version typed as `v7`, `V7`, `7` or `v07`, named as the API names it (`v7`); null for anything else. */
export function versionNameOf(text: string): string | null {
  const index = versionIndexOf(`v${text.trim().replace(/^v/i, '')}`);
  return index === undefined ? null : `v${index}`;
}

/** The start of a local day as an instant, or null for anything that is no day. */
function startOfDay(day: string, plusDays = 0): string | null {
  if (!DAY.test(day)) return null;
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return null;
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
}

/** The filter as the API's filter language takes it (the SDK's JSON), or null when there is none. */
export function versionFilterJson(values: VersionFilterValues): string | null {
  const filters: Record<string, unknown> = {};
  if (values.version) filters.version = values.version;
  if (values.alias) filters.alias = values.alias;
  if (values.tag) filters.tag = values.tag;
  const from = startOfDay(values.from);
  // The "to" day is included: everything before the next day's start.
  const to = startOfDay(values.to, 1);
  if (from || to) filters.createdAt = { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) };
  return Object.keys(filters).length ? JSON.stringify(filters) : null;
}

/** The sort as the API's `order` takes it: by version number, newest first unless `oldest`. */
export const versionOrder = (values: VersionFilterValues) => (values.sort === 'oldest' ? '+version' : '-version');

/** The versions list's filters and sort as the address holds them. */
export function versionFilterValues(params: URLSearchParams): VersionFilterValues {
  return {
    sort: params.get('sort') === 'oldest' ? 'oldest' : '',
    version: versionNameOf(params.get('version') ?? '') ?? '',
    alias: params.get('alias')?.trim() ?? '',
    tag: params.get('tag')?.trim() ?? '',
    from: DAY.test(params.get('from') ?? '') ? (params.get('from') ?? '') : '',
    to: DAY.test(params.get('to') ?? '') ? (params.get('to') ?? '') : '',
  };
}

/** The versions list's filters and sort, kept in the URL; changing one goes back to the first page. */
export function useVersionFilters() {
  const { params, rewrite } = useFilterParams();
  const values = versionFilterValues(params);
  return {
    values,
    /** Whether any filter (not the sort) narrows the list. */
    filtered: Boolean(values.version || values.alias || values.tag || values.from || values.to),
    set: (key: Key, value: string) =>
      rewrite((next) => {
        if (value) next.set(key, value);
        else next.delete(key);
      }),
    /** Drops the filters, keeping the sort and the open tab. */
    clear: () => rewrite((next) => KEYS.filter((k) => k !== 'sort').forEach((k) => next.delete(k))),
  };
}
