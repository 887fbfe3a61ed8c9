import { formatDate, relativeTime } from '@/lib/format';

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** How long ago (or ahead) a moment is, in its largest whole unit: "3 hours ago", "yesterday". */
function formatRelative(iso: string, now = Date.now()): string {
  let value = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(Math.round(value)) < size) return relativeTime.format(Math.round(value), unit);
    value /= size;
  }
  return formatDate(iso);
}

/** A moment as "3 hours ago", with the full date and time on hover (its title). */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const full = formatDate(iso);
  return (
    <time dateTime={iso} title={full} className={className}>
      {formatRelative(iso)}
    </time>
  );
}
