/** Sizes as people read them: 1.2 MB, 830 B. */
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

export const formatDate = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const REGISTRY_PREFIX = 'wandb-registry-';

/** The registry's short name as its URL uses it: `wandb-registry-model` → `model`. */
export const registryShortName = (projectName: string) =>
  projectName.startsWith(REGISTRY_PREFIX) ? projectName.slice(REGISTRY_PREFIX.length) : projectName;

export const artifactsPath = (entity: string, project: string, ...rest: string[]) =>
  ['', entity, project, 'artifacts', ...rest].map((part) => encodeURIComponent(part)).join('/');
