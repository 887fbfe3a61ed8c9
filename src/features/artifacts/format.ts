export const artifactsPath = (entity: string, project: string, ...rest: string[]) =>
  ['', entity, project, 'artifacts', ...rest].map((part) => encodeURIComponent(part)).join('/');
