import { formatDate, registryShortName, relativeTime } from '@/lib/format';

export function registryPath(projectName: string): string {
  return `/registry/${encodeURIComponent(registryShortName(projectName))}`;
}

/** "3 minutes ago", for dates of the last month; the date itself beyond. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 30],
  ];
  if (Math.abs(seconds) < 10) return relativeTime.format(0, 'second');
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relativeTime.format(value, unit);
    value = Math.round(value / size);
  }
  return formatDate(iso);
}

export const fullDate = formatDate;
