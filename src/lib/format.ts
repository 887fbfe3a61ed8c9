// How sizes, dates and registry names read on every page, so one file shows the same everywhere.

/** Sizes as people read them: 1.2 MB, 830 B (powers of 1000, as the units say). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

// One formatter of each kind for the whole app: making one costs the browser milliseconds of locale data.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** "3 minutes ago", "yesterday": relative times in the viewer's language. */
export const relativeTime = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export const formatDate = (iso: string) => dateTime.format(new Date(iso));

/** A registry is the project `wandb-registry-<name>` of the organization's entity. */
export const REGISTRY_PREFIX = 'wandb-registry-';

/** A registry's name in URLs and on screen: `wandb-registry-model` → `model`. */
export const registryShortName = (projectName: string) =>
  projectName.startsWith(REGISTRY_PREFIX) ? projectName.slice(REGISTRY_PREFIX.length) : projectName;
