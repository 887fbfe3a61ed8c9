export const artifactsPath = (entity: string, project: string, ...rest: string[]) =>
  ['', entity, project, 'artifacts', ...rest].map((part) => encodeURIComponent(part)).join('/');

export const runPath = (entity: string, project: string, run: string) =>
  ['', entity, project, 'runs', run].map((part) => encodeURIComponent(part)).join('/');
