import type { SeedClient } from '../../seed/client.js';
import { linkVersion, setModelCard } from '../../seed/collections.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry } from '../../seed/registries.js';
import { logVersion } from '../../seed/versions.js';
import { unique } from './api';

/** What the collection specs seed: a registry with one collection of linked versions. */
export interface SeededCollection {
  registry: string;
  collection: string;
  team: string;
  /** Source artifact ids of the linked versions, oldest (v0) first. */
  artifactIds: string[];
  path: string;
}

/**
 * A registry (accepting models) with `versions` versions of a team's model linked into one
 * collection; `aliases[i]` go on v{i}. Each source version has a `model.bin` and a `config.json`.
 */
export async function seedCollection(
  api: SeedClient,
  options: {
    versions: number;
    aliases?: string[][];
    protectedAliases?: string[];
    description?: string;
    prefix?: string;
    restricted?: boolean;
  },
): Promise<SeededCollection> {
  const prefix = options.prefix ?? 'c';
  const team = unique(`${prefix}-team`);
  const registry = unique(`${prefix}-reg`);
  const collection = unique(`${prefix}-model`);
  await createTeam(api, { name: team, members: ['admin'] });
  await createRegistry(api, {
    name: registry,
    types: ['model'],
    restricted: options.restricted,
    protectedAliases: options.protectedAliases,
  });
  const artifactIds: string[] = [];
  for (let i = 0; i < options.versions; i++) {
    const logged = await logVersion(api, {
      entity: team,
      project: 'training',
      name: 'resnet',
      type: 'model',
      files: { 'model.bin': `weights of version ${i}\n`, 'config.json': JSON.stringify({ layers: 50 + i }) },
      metadata: { accuracy: 0.9 + i / 100, epochs: 10 + i, optimizer: { name: 'adam', lr: 0.001 } },
      description: `Trained run ${i}`,
    });
    await linkVersion(api, { artifactId: logged.artifactId, registry, collection, aliases: options.aliases?.[i] ?? [] });
    artifactIds.push(logged.artifactId);
  }
  if (options.description !== undefined) await setModelCard(api, { registry, collection, description: options.description });
  return { registry, collection, team, artifactIds, path: `/registry/${registry}/${collection}` };
}
