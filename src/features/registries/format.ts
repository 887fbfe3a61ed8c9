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

/**
 * Whether the viewer may open the source project of a linked version: the version's collections the viewer can
 * see include its own sequence only then (a team's project is its members' and the org admins').
 */
export function sourceReadable(artifact: {
  artifactSequence: { id: string };
  artifactMemberships: { edges: readonly { node: { artifactCollection: { __typename: string; id: string } | null } }[] };
}): boolean {
  return artifact.artifactMemberships.edges.some(({ node }) => node.artifactCollection?.id === artifact.artifactSequence.id);
}

/** Where a linked version comes from: its label and its page in the project's artifact browser. */
export function sourceLink(source: SourceRef): { label: string; href: string } {
  const version = source.versionIndex === null ? 'latest' : `v${source.versionIndex}`;
  const segments = [source.entityName, source.projectName, 'artifacts', source.type, source.name, version].map(encodeURIComponent);
  return { label: `${source.entityName}/${source.projectName}/${source.name}:${version}`, href: `/${segments.join('/')}` };
}
