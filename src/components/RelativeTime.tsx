import { formatDate, formatRelative } from '@/lib/format';

/** A moment as "3 hours ago", with the full date and time on hover (its title). */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const full = formatDate(iso);
  return (
    <time dateTime={iso} title={full} className={className}>
      {formatRelative(iso)}
    </time>
  );
}
