const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The registry's project name for its short name in the URL. */
export const registryProject = (registry: string) => `wandb-registry-${registry}`;

export interface SourceRef {
  entityName: string;
  projectName: string;
  type: string;
  name: string;
  versionIndex: number | null;
}

/** Where a linked version comes from: its label and its page in the project's artifact browser. */
export function sourceLink(source: SourceRef): { label: string; href: string } {
  const version = source.versionIndex === null ? 'latest' : `v${source.versionIndex}`;
  const segments = [source.entityName, source.projectName, 'artifacts', source.type, source.name, version].map(encodeURIComponent);
  return { label: `${source.entityName}/${source.projectName}/${source.name}:${version}`, href: `/${segments.join('/')}` };
}
