import { REGISTRY_PREFIX } from '@/lib/format';

/** The registry's project name for its short name in the URL. */
export const registryProject = (registry: string) => `${REGISTRY_PREFIX}${registry}`;

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
