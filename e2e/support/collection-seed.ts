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

export interface CollectionOptions {
  /** How many versions to link (v0…); 1 by default. */
  versions?: number;
  /** `aliases[i]` go on v{i}. */
  aliases?: string[][];
  /** Protected in the registry, when it is made here. */
  protectedAliases?: string[];
  /** The model card. */
  description?: string;
  /** Starts the generated names. */
  prefix?: string;
  /** A restricted registry, when it is made here. */
  restricted?: boolean;
  /** Link into this registry instead of a new one accepting models. */
  registry?: string;
}

/** A new registry accepting models (unless `registry` names one), in it one collection of a team's versions. */
export async function seedCollection(api: SeedClient, options: CollectionOptions = {}): Promise<SeededCollection> {
  const prefix = options.prefix ?? 'c';
  const team = unique(`${prefix}-team`);
  const collection = unique(`${prefix}-model`);
  let registry = options.registry;
  if (registry === undefined) {
    registry = unique(`${prefix}-reg`);
    await createRegistry(api, {
      name: registry,
      types: ['model'],
      restricted: options.restricted,
      protectedAliases: options.protectedAliases,
    });
  }
  await createTeam(api, { name: team, members: ['admin'] });
  const artifactIds: string[] = [];
  for (let i = 0; i < (options.versions ?? 1); i++) {
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
