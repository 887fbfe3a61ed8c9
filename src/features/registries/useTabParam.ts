import { useSearchParams } from '@/lib/router';

/** The open tab, kept in `?tab=` so a tab can be linked to and survives a reload. */
export function useTabParam<T extends string>(tabs: readonly T[], fallback: T): [T, (tab: string) => void] {
  const [params, setParams] = useSearchParams();
  const current = params.get('tab');
  const tab = tabs.find((t) => t === current) ?? fallback;
  const setTab = (next: string) =>
    setParams(
      (prev) => {
        const copy = new URLSearchParams(prev);
        if (next === fallback) copy.delete('tab');
        else copy.set('tab', next);
        return copy;
      },
      { replace: true },
    );
  return [tab, setTab];
}
