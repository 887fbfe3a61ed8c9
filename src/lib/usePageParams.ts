import { useSearchParams } from '@/lib/router';

/** Cursors are base64url, so a dot never occurs in one and can separate them. */
const SEPARATOR = '.';

/**
 * Cursor paging kept in the URL: `?after=` is this page's cursor and `?prev=` the cursors of the pages
 * before it (the first page's is none), so back, reload and a shared link land on the same page with
 * Previous and the "21–40" count right. Next and Previous are history entries.
 */
export function usePageParams() {
  const [params, setParams] = useSearchParams();
  const after = params.get('after') || null;
  const prev = after ? (params.get('prev') ?? '').split(SEPARATOR).filter(Boolean) : [];
  const go = (cursor: string | null, before: string[]) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (cursor) next.set('after', cursor);
      else next.delete('after');
      if (cursor && before.length) next.set('prev', before.join(SEPARATOR));
      else next.delete('prev');
      return next;
    });
  return {
    after,
    /** How many pages come before this one. */
    index: after ? prev.length + 1 : 0,
    next: (cursor: string | null) => go(cursor, after ? [...prev, after] : []),
    previous: () => go(prev.at(-1) ?? null, prev.slice(0, -1)),
  };
}

/**
 * Filters and sort kept in the URL beside the paging: `set` changes some (an empty value removes one),
 * `rewrite` any edit of the query string; either goes back to the first page, in place in history.
 */
export function useFilterParams() {
  const [params, setParams] = useSearchParams();
  const rewrite = (change: (next: URLSearchParams) => void) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        change(next);
        next.delete('after');
        next.delete('prev');
        return next;
      },
      { replace: true },
    );
  const set = (changes: Record<string, string>) =>
    rewrite((next) => {
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
    });
  return { params, set, rewrite };
}
