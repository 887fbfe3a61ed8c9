import type { ProjectAccess, RegistryRole } from '../../server/db/tables.js';
import { encodeId } from '../../server/graphql/ids.js';
import { appendVersion } from '../../server/modules/collections/repository-versions.js';
import type { TestApp } from './app.js';

/**
 * Direct inserts for collection and link tests: committed source versions and registries with
 * members, without going through the logging and registry admin APIs (tested on their own).
 */

async function entityId(t: TestApp, name: string): Promise<number> {
  const row = await t.db.selectFrom('entities').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

async function ensureProject(t: TestApp, entityName: string, name: string): Promise<number> {
  const entity = await entityId(t, entityName);
  const existing = await t.db
    .selectFrom('projects')
    .select('id')
    .where('entity_id', '=', entity)
    .where('name', '=', name)
    .executeTakeFirst();
  if (existing) return existing.id;
  const row = await t.db
    .insertInto('projects')
    .values({ entity_id: entity, name, access: 'PRIVATE' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SourceVersion {
  /** Artifact id as the SDK sees it (base64 `Artifact:N`). */
  id: string;
  artifactId: number;
  versionIndex: number;
  sequenceId: number;
}

let counter = 0;

/** A COMMITTED version in `entity/project/name` (the sequence is created with `type` when missing). */
export async function createSourceVersion(
  t: TestApp,
  options: {
    entity: string;
    project: string;
    name: string;
    type?: string;
    metadata?: Record<string, unknown>;
    state?: 'PENDING' | 'COMMITTED';
  },
): Promise<SourceVersion> {
  const projectId = await ensureProject(t, options.entity, options.project);
  const type = options.type ?? 'model';
  return t.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('collections')
      .values({ project_id: projectId, kind: 'SEQUENCE', name: options.name, type_name: type })
      .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
      .execute();
    const sequence = await trx
      .selectFrom('collections')
      .select('id')
      .where('project_id', '=', projectId)
      .where('name', '=', options.name)
      .executeTakeFirstOrThrow();
    counter += 1;
    const committed = (options.state ?? 'COMMITTED') === 'COMMITTED';
    const artifact = await trx
      .insertInto('artifacts')
      .values({
        sequence_id: sequence.id,
        version_index: null,
        state: committed ? 'COMMITTED' : 'PENDING',
        digest: `digest-${counter}-${Date.now()}`,
        metadata: JSON.stringify(options.metadata ?? {}),
        committed_at: committed ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!committed) return { id: encodeId('Artifact', artifact.id), artifactId: artifact.id, versionIndex: -1, sequenceId: sequence.id };
    const { membership } = await appendVersion(trx, { collectionId: sequence.id, artifactId: artifact.id, userId: null });
    await trx.updateTable('artifacts').set({ version_index: membership.version_index }).where('id', '=', artifact.id).execute();
    return {
      id: encodeId('Artifact', artifact.id),
      artifactId: artifact.id,
      versionIndex: membership.version_index,
      sequenceId: sequence.id,
    };
  });
}

/** A registry `wandb-registry-<name>` of the org entity. */
export async function createRegistry(
  t: TestApp,
  options: { org: string; name: string; access?: ProjectAccess; types?: string[]; allowAllTypes?: boolean; protectedAliases?: string[] },
): Promise<{ projectId: number; id: string; projectName: string }> {
  const entity = await entityId(t, options.org);
  const row = await t.db
    .insertInto('projects')
    .values({
      entity_id: entity,
      name: `wandb-registry-${options.name}`,
      display_name: options.name,
      access: options.access ?? 'PRIVATE',
      is_registry: true,
      allow_all_types: options.allowAllTypes ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const type of options.types ?? []) await t.db.insertInto('registry_types').values({ project_id: row.id, type_name: type }).execute();
  await protectAliases(t, row.id, options.protectedAliases ?? []);
  return { projectId: row.id, id: encodeId('Project', row.id), projectName: `wandb-registry-${options.name}` };
}

export async function protectAliases(t: TestApp, projectId: number, aliases: readonly string[]): Promise<void> {
  for (const alias of aliases) await t.db.insertInto('protected_aliases').values({ project_id: projectId, alias }).execute();
}

export async function projectIdOf(t: TestApp, entity: string, name: string): Promise<number> {
  const id = await entityId(t, entity);
  const row = await t.db.selectFrom('projects').select('id').where('entity_id', '=', id).where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

/** Gives a user a role in a registry. */
export async function grantRegistryRole(t: TestApp, projectId: number, userId: number, role: RegistryRole): Promise<void> {
  await t.db.insertInto('registry_members').values({ project_id: projectId, user_id: userId, role }).execute();
}

export function decodeIdNumber(id: string): number {
  return Number(/:(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'))?.[1]);
}
