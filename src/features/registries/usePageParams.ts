import { useSearchParams } from 'react-router';

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
