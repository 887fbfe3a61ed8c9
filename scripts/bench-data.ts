// Loads a large registry for the benchmark with set-based SQL (seconds, not hours): a team project with
// `collections` source sequences of `versionsPer` committed versions each, every version linked into a
// same-named collection of the Models registry, `latest` on the newest, and metadata on every version.
import { sql } from 'kysely';
import type { DB } from '../server/db/database.js';

export async function loadBenchData(db: DB, options: { collections: number; versionsPer: number; userId: number }) {
  const { collections, versionsPer, userId } = options;
  await db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organizations').select(['id', 'org_entity_id']).executeTakeFirstOrThrow();
    const team = await trx
      .insertInto('entities')
      .values({ organization_id: org.id, name: 'bench-team', kind: 'TEAM' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('team_members').values({ team_entity_id: team.id, user_id: userId, role: 'admin' }).execute();
    const project = await trx
      .insertInto('projects')
      .values({ entity_id: team.id, name: 'training', access: 'PRIVATE' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const registry = await trx
      .selectFrom('projects')
      .select('id')
      .where('entity_id', '=', org.org_entity_id ?? -1)
      .where('name', '=', 'wandb-registry-model')
      .executeTakeFirstOrThrow();

    await sql`
      insert into collections (project_id, kind, name, type_name, next_version_index, created_by)
      select ${project.id}, 'SEQUENCE', 'model-' || g, 'model', ${versionsPer}, ${userId} from generate_series(0, ${collections - 1}) g`.execute(
      trx,
    );
    await sql`
      insert into artifacts (sequence_id, version_index, state, digest, metadata, size, file_count, created_by, committed_at, created_at)
      select c.id, v, 'COMMITTED', md5(c.id || '-' || v),
             jsonb_build_object('accuracy', round((v::numeric / ${versionsPer}), 3), 'epochs', v % 10, 'framework', 'torch'),
             1000 + v, 1, ${userId}, now(), now() - make_interval(secs => (${versionsPer} - v))
      from collections c cross join generate_series(0, ${versionsPer - 1}) v
      where c.project_id = ${project.id}`.execute(trx);
    await sql`
      insert into memberships (collection_id, artifact_id, version_index, created_by, created_at)
      select a.sequence_id, a.id, a.version_index, ${userId}, a.created_at
      from artifacts a join collections c on c.id = a.sequence_id where c.project_id = ${project.id}`.execute(trx);

    await sql`
      insert into collections (project_id, kind, name, type_name, next_version_index, created_by, description)
      select ${registry.id}, 'PORTFOLIO', name, 'model', ${versionsPer}, ${userId}, '# ' || name || E'\n\nA benchmark model.'
      from collections where project_id = ${project.id}`.execute(trx);
    await sql`
      insert into memberships (collection_id, artifact_id, version_index, created_by, created_at, is_link)
      select p.id, a.id, a.version_index, ${userId}, a.created_at, true
      from collections p
      join collections s on s.project_id = ${project.id} and s.name = p.name
      join artifacts a on a.sequence_id = s.id
      where p.project_id = ${registry.id}`.execute(trx);
    await sql`
      insert into aliases (collection_id, membership_id, alias, linked_at)
      select m.collection_id, m.id, 'latest', m.created_at from memberships m join collections c on c.id = m.collection_id
      where c.project_id in (${registry.id}, ${project.id}) and m.version_index = ${versionsPer - 1}`.execute(trx);
    await sql`
      insert into aliases (collection_id, membership_id, alias, linked_at)
      select m.collection_id, m.id, 'production', m.created_at from memberships m join collections c on c.id = m.collection_id
      where c.project_id = ${registry.id} and m.version_index = ${Math.max(0, versionsPer - 2)}`.execute(trx);

    // Committed but not yet linked: what the link benchmark links, one by one.
    await sql`
      insert into collections (project_id, kind, name, type_name, next_version_index, created_by)
      values (${project.id}, 'SEQUENCE', 'link-source', 'model', 1000, ${userId})`.execute(trx);
    await sql`
      insert into artifacts (sequence_id, version_index, state, digest, size, file_count, created_by, committed_at)
      select c.id, v, 'COMMITTED', md5('link-' || v), 10, 1, ${userId}, now()
      from collections c cross join generate_series(0, 999) v where c.project_id = ${project.id} and c.name = 'link-source'`.execute(trx);
    await sql`
      insert into memberships (collection_id, artifact_id, version_index, created_by)
      select a.sequence_id, a.id, a.version_index, ${userId}
      from artifacts a join collections c on c.id = a.sequence_id where c.name = 'link-source' and c.project_id = ${project.id}`.execute(
      trx,
    );
  });
  await sql`analyze`.execute(db);
}

/** Ids of the committed, unlinked versions loaded for the link benchmark. */
export async function unlinkedBenchVersions(db: DB): Promise<number[]> {
  const rows = await db
    .selectFrom('artifacts')
    .innerJoin('collections', 'collections.id', 'artifacts.sequence_id')
    .select('artifacts.id')
    .where('collections.name', '=', 'link-source')
    .orderBy('artifacts.id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * A committed version of `files` stored files in the bench team's project (loaded after
 * loadBenchData), for the SDK's download(): it reads a version's file URLs 5 000 a page. Returns its id.
 */
export async function loadBenchFiles(db: DB, options: { files: number; userId: number }): Promise<number> {
  const { files, userId } = options;
  const id = await db.transaction().execute(async (trx) => {
    const project = await trx
      .selectFrom('projects')
      .innerJoin('entities', 'entities.id', 'projects.entity_id')
      .select('projects.id')
      .where('entities.name', '=', 'bench-team')
      .where('projects.name', '=', 'training')
      .executeTakeFirstOrThrow();
    const sequence = await trx
      .insertInto('collections')
      .values({
        project_id: project.id,
        kind: 'SEQUENCE',
        name: 'many-files',
        type_name: 'dataset',
        next_version_index: 1,
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const artifact = await trx
      .insertInto('artifacts')
      .values({
        sequence_id: sequence.id,
        version_index: 0,
        state: 'COMMITTED',
        digest: 'f'.repeat(32),
        metadata: '{}',
        size: files,
        file_count: files,
        created_by: userId,
        committed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('memberships')
      .values({ collection_id: sequence.id, artifact_id: artifact.id, version_index: 0, created_by: userId })
      .execute();
    await sql`
      insert into artifact_files (artifact_id, name, digest, size, blob)
      select ${artifact.id}, 'shard/' || lpad(g::text, 6, '0') || '.bin', md5(g::text), 1, encode(sha256(g::text::bytea), 'hex')
      from generate_series(0, ${files - 1}) g`.execute(trx);
    return artifact.id;
  });
  await sql`analyze artifact_files`.execute(db);
  return id;
}

/**
 * One more collection of the Models registry holding `versions` linked versions (a source sequence of
 * the same name in the bench team's project, loaded after loadBenchData), for the browser's figures:
 * a page of a large collection against one of a small collection.
 */
export async function loadBenchCollection(db: DB, options: { name: string; versions: number; userId: number }) {
  const { name, versions, userId } = options;
  await db.transaction().execute(async (trx) => {
    const project = await trx
      .selectFrom('projects')
      .innerJoin('entities', 'entities.id', 'projects.entity_id')
      .select('projects.id')
      .where('entities.name', '=', 'bench-team')
      .where('projects.name', '=', 'training')
      .executeTakeFirstOrThrow();
    const org = await trx.selectFrom('organizations').select('org_entity_id').executeTakeFirstOrThrow();
    const registry = await trx
      .selectFrom('projects')
      .select('id')
      .where('entity_id', '=', org.org_entity_id ?? -1)
      .where('name', '=', 'wandb-registry-model')
      .executeTakeFirstOrThrow();
    const [sequence, portfolio] = await Promise.all(
      [
        { project_id: project.id, kind: 'SEQUENCE' as const, description: '' },
        { project_id: registry.id, kind: 'PORTFOLIO' as const, description: `# ${name}\n\nA benchmark model.` },
      ].map((c) =>
        trx
          .insertInto('collections')
          .values({ ...c, name, type_name: 'model', next_version_index: versions, created_by: userId })
          .returning('id')
          .executeTakeFirstOrThrow(),
      ),
    );
    await sql`
      insert into artifacts (sequence_id, version_index, state, digest, metadata, size, file_count, created_by, committed_at, created_at)
      select ${sequence?.id}, v, 'COMMITTED', md5(${name} || '-' || v),
             jsonb_build_object('accuracy', round((v::numeric / ${versions}), 3), 'epochs', v % 10, 'framework', 'torch'),
             1000 + v, 1, ${userId}, now(), now() - make_interval(secs => (${versions} - v))
      from generate_series(0, ${versions - 1}) v`.execute(trx);
    for (const [collection, isLink] of [
      [sequence?.id, false],
      [portfolio?.id, true],
    ] as const) {
      await sql`
        insert into memberships (collection_id, artifact_id, version_index, created_by, created_at, is_link)
        select ${collection}, a.id, a.version_index, ${userId}, a.created_at, ${isLink}
        from artifacts a where a.sequence_id = ${sequence?.id}`.execute(trx);
      await sql`
        insert into aliases (collection_id, membership_id, alias, linked_at)
        select m.collection_id, m.id, 'latest', m.created_at from memberships m
        where m.collection_id = ${collection} and m.version_index = ${versions - 1}`.execute(trx);
    }
  });
  await sql`analyze`.execute(db);
}
