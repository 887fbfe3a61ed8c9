import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/database.js';
import { bootstrap } from '../../server/modules/organization/bootstrap.js';
import { freshDatabase } from '../support/db.js';

// Migrations that derive columns from existing rows must fill them for data written before them.

it('2026_12_01_0004 marks existing links, copies each alias its version’s link time, counts each registry’s collections', async () => {
  const { db, drop } = await freshDatabase(undefined, '2026_11_23_0003_artifacts');
  try {
    await bootstrap(db, { orgName: 'acme', adminUser: 'admin', adminPassword: 'correct horse battery', adminApiKey: 'a'.repeat(40) });
    const registry = await db
      .selectFrom('projects')
      .select(['id', 'entity_id'])
      .where('name', '=', 'wandb-registry-model')
      .executeTakeFirstOrThrow();
    // Written as an earlier release wrote them: no is_link, no linked_at.
    const ids = await sql<{ sequence: number; portfolio: number; artifact: number; source: number; link: number }>`
      with s as (insert into collections (project_id, kind, name, type_name) values (${registry.id}, 'SEQUENCE', 'net', 'model') returning id),
        p as (insert into collections (project_id, kind, name, type_name) values (${registry.id}, 'PORTFOLIO', 'best', 'model') returning id),
        a as (insert into artifacts (sequence_id, version_index, state, digest) select id, 0, 'COMMITTED', 'd0' from s returning id),
        sm as (insert into memberships (collection_id, artifact_id, version_index, created_at)
          select s.id, a.id, 0, '2026-01-01T00:00:00Z' from s, a returning id),
        pm as (insert into memberships (collection_id, artifact_id, version_index, created_at)
          select p.id, a.id, 0, '2026-02-01T00:00:00Z' from p, a returning id),
        al as (insert into aliases (collection_id, membership_id, alias) select p.id, pm.id, 'production' from p, pm)
      select s.id as sequence, p.id as portfolio, a.id as artifact, sm.id as source, pm.id as link from s, p, a, sm, pm`.execute(db);
    const before = ids.rows[0]!;

    await migrateToLatest(db);

    const memberships = await db.selectFrom('memberships').select(['id', 'is_link']).orderBy('id').execute();
    expect(memberships).toEqual([
      { id: before.source, is_link: false },
      { id: before.link, is_link: true },
    ]);
    const alias = await db.selectFrom('aliases').select(['membership_id', 'linked_at']).executeTakeFirstOrThrow();
    expect(alias).toEqual({ membership_id: before.link, linked_at: new Date('2026-02-01T00:00:00Z') });
    const counts = await db
      .selectFrom('projects')
      .select(['name', 'portfolio_count'])
      .where('is_registry', '=', true)
      .orderBy('name')
      .execute();
    expect(counts).toEqual([
      { name: 'wandb-registry-dataset', portfolio_count: 0 },
      { name: 'wandb-registry-model', portfolio_count: 1 },
    ]);
  } finally {
    await drop();
  }
});

it('2026_12_07_0006 keeps every user and their password hash, replaces login_failures, lets a user have no password yet', async () => {
  const { db, drop } = await freshDatabase(undefined, '2026_12_01_0004_link_indexes');
  try {
    await bootstrap(db, { orgName: 'acme', adminUser: 'admin', adminPassword: 'correct horse battery', adminApiKey: 'a'.repeat(40) });
    await sql`insert into login_failures (username, failures, last_failure_at) values ('admin', 3, now())`.execute(db);
    const before = await db.selectFrom('users').select(['id', 'username', 'password_hash']).execute();

    await migrateToLatest(db);

    expect(await db.selectFrom('users').select(['id', 'username', 'password_hash']).execute()).toEqual(before);
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_name in ('login_failures', 'sign_in_throttles', 'password_links') order by 1`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(['password_links', 'sign_in_throttles']);
    const nullable = await sql<{ is_nullable: string }>`select is_nullable from information_schema.columns
      where table_name = 'users' and column_name = 'password_hash'`.execute(db);
    expect(nullable.rows).toEqual([{ is_nullable: 'YES' }]);
  } finally {
    await drop();
  }
});

it('2026_12_07_0007 moves each stored manifest into parts and keeps its header on the version', async () => {
  const { db, drop } = await freshDatabase(undefined, '2026_12_01_0004_link_indexes');
  try {
    await bootstrap(db, { orgName: 'acme', adminUser: 'admin', adminPassword: 'correct horse battery', adminApiKey: 'a'.repeat(40) });
    const project = await db.selectFrom('projects').select('id').where('name', '=', 'wandb-registry-model').executeTakeFirstOrThrow();
    const manifest = { version: 1, storagePolicy: 'wandb-storage-policy-v1', contents: { 'a.txt': { digest: 'x', size: 1 } } };
    // Written as an earlier release wrote them: the whole manifest in artifacts.manifest.
    const ids = await sql<{ with_manifest: number; without: number }>`
      with s as (insert into collections (project_id, kind, name, type_name) values (${project.id}, 'SEQUENCE', 'net', 'model') returning id),
        a as (insert into artifacts (sequence_id, state, digest, manifest) select id, 'PENDING', 'd0', ${JSON.stringify(manifest)}::jsonb from s returning id),
        b as (insert into artifacts (sequence_id, state, digest) select id, 'PENDING', 'd1' from s returning id)
      select a.id as with_manifest, b.id as without from a, b`.execute(db);
    const before = ids.rows[0]!;

    await migrateToLatest(db);

    const parts = await db.selectFrom('artifact_manifest_parts').selectAll().execute();
    expect(parts.map((p) => ({ ...p, body: JSON.parse(p.body) as unknown }))).toEqual([
      { artifact_id: before.with_manifest, part: 0, body: manifest },
    ]);
    const versions = await db.selectFrom('artifacts').select(['id', 'manifest']).orderBy('id').execute();
    expect(versions).toEqual([
      { id: before.with_manifest, manifest: { version: 1, storagePolicy: 'wandb-storage-policy-v1' } },
      { id: before.without, manifest: null },
    ]);
  } finally {
    await drop();
  }
});

it('2026_12_07_0010 moves every collection action into events, in order, with before/after, and drops collection_actions', async () => {
  const { db, drop } = await freshDatabase(undefined, '2026_12_07_0008_runs');
  try {
    await bootstrap(db, { orgName: 'acme', adminUser: 'admin', adminPassword: 'correct horse battery', adminApiKey: 'a'.repeat(40) });
    const registry = await db.selectFrom('projects').select('id').where('name', '=', 'wandb-registry-model').executeTakeFirstOrThrow();
    const admin = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const collection = await sql<{
      id: number;
    }>`insert into collections (project_id, kind, name, type_name) values (${registry.id}, 'PORTFOLIO', 'best', 'model') returning id`.execute(
      db,
    );
    const c = collection.rows[0]!.id;
    // Written as the earlier release wrote them.
    const rows: [string, number | null, number | null, string | null, string][] = [
      ['CREATE', null, null, null, '{"type":"model"}'],
      ['LINK', 0, 7, null, '{"source":"ml/train/net:v3"}'],
      ['ADD_ALIAS', 0, 7, 'production', '{}'],
      ['MOVE_ALIAS', 1, 8, 'production', '{"fromVersionIndex":0}'],
      ['REMOVE_ALIAS', 1, 8, 'production', '{}'],
      ['ADD_TAG', null, null, null, '{"tag":"vision"}'],
      ['REMOVE_TAG', null, null, null, '{"tag":"vision"}'],
      ['UPDATE', null, null, null, '{"renamedFrom":"good","name":"best","description":true}'],
      ['UNLINK', 0, 7, null, '{}'],
    ];
    for (const [action, versionIndex, artifactId, alias, detail] of rows) {
      await sql`insert into collection_actions (collection_id, action, version_index, artifact_id, alias, user_id, detail, created_at)
        values (${c}, ${action}, ${versionIndex}, ${artifactId}, ${alias}, ${admin.id}, ${detail}::jsonb, '2026-03-01T00:00:00Z')`.execute(
        db,
      );
    }

    await migrateToLatest(db);

    const events = await db.selectFrom('events').selectAll().orderBy('id').execute();
    const same = {
      actor_id: admin.id,
      project_id: registry.id,
      project_name: 'wandb-registry-model',
      collection_id: c,
      collection_name: 'best',
      membership_id: null,
      created_at: new Date('2026-03-01T00:00:00Z'),
    };
    expect(events.map(({ id: _id, ...e }) => e)).toEqual([
      { ...same, action: 'collection.created', version_index: null, before: null, after: { name: 'best', type: 'model' } },
      {
        ...same,
        action: 'version.linked',
        version_index: 0,
        before: null,
        after: { versionIndex: 0, artifactId: 7, source: 'ml/train/net:v3' },
      },
      { ...same, action: 'alias.added', version_index: 0, before: null, after: { alias: 'production', versionIndex: 0 } },
      {
        ...same,
        action: 'alias.moved',
        version_index: 1,
        before: { alias: 'production', versionIndex: 0 },
        after: { alias: 'production', versionIndex: 1 },
      },
      { ...same, action: 'alias.removed', version_index: 1, before: { alias: 'production', versionIndex: 1 }, after: null },
      { ...same, action: 'collection.tag_added', version_index: null, before: null, after: { tag: 'vision' } },
      { ...same, action: 'collection.tag_removed', version_index: null, before: { tag: 'vision' }, after: null },
      { ...same, action: 'collection.updated', version_index: null, before: { name: 'good' }, after: { name: 'best', description: true } },
      { ...same, action: 'version.unlinked', version_index: 0, before: { versionIndex: 0, artifactId: 7 }, after: null },
    ]);
    const tables = await sql<{
      name: string;
    }>`select table_name as name from information_schema.tables where table_name = 'collection_actions'`.execute(db);
    expect(tables.rows).toEqual([]);
  } finally {
    await drop();
  }
});
