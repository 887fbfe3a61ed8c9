// Where the run page links to. Features do not import each other, so the paths of the artifact
// browser and registry pages are spelled here as those pages read them.
const join = (...parts: string[]) => parts.map((part) => encodeURIComponent(part)).join('/');

export const artifactVersionPath = (entity: string, project: string, type: string, name: string, versionIndex: number) =>
  `/${join(entity, project, 'artifacts', type, name, `v${versionIndex}`)}`;

export const projectArtifactsPath = (entity: string, project: string) => `/${join(entity, project, 'artifacts')}`;

export const registryVersionPath = (registry: string, collection: string, versionIndex: number) =>
  `/${join('registry', registry, collection, `v${versionIndex}`)}`;
