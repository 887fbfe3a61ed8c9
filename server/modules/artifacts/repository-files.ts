import { sql } from 'kysely';
import { type Artifact, type ArtifactFile } from '../../db/tables.js';
import { type CursorValue } from '../../graphql/cursor.js';
import { type DB, runsInProcess } from '../../db/database.js';
import { type ManifestEntry } from './manifest.js';
export interface FileSpec {
  name: string;
  digest: string;
  mimetype: string | null;
  uploadToken: string | null;
  /** Content the file may reuse without upload (content.ts decides), or null: it gets an upload URL. */
  content: StoredContent | null;
}

/** Stored bytes, by the SHA-256 the server computed while receiving them, with their size. */
export interface StoredContent {
  sha256: string;
  size: number;
}

/**
 * Adds or refreshes file rows of a pending artifact (the SDK may ask twice for the same file). A file
 * already bound to content keeps it while its declared MD5 stays the same, and an unbound one its size.
 */
export async function upsertFileSpecs(db: DB, artifactId: number, specs: readonly FileSpec[]): Promise<ArtifactFile[]> {
  if (specs.length === 0) return [];
  const same = sql<boolean>`artifact_files.digest = excluded.digest`;
  const keep = sql<boolean>`${same} and artifact_files.sha256 is not null`;
  return db
    .insertInto('artifact_files')
    .values(
      specs.map((s) => ({
        artifact_id: artifactId,
        name: s.name,
        digest: s.digest,
        mimetype: s.mimetype,
        upload_token: s.content ? null : s.uploadToken,
        sha256: s.content?.sha256 ?? null,
        size: s.content?.size ?? 0,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['artifact_id', 'name']).doUpdateSet((eb) => ({
        digest: eb.ref('excluded.digest'),
        mimetype: eb.ref('excluded.mimetype'),
        upload_token: sql`case when ${keep} then null else excluded.upload_token end`,
        sha256: sql`case when ${keep} then artifact_files.sha256 else excluded.sha256 end`,
        // The same MD5 declared again keeps the size the manifest gave (with S3 the commit checks the
        // upload against it); content reused from another version brings its own.
        size: sql`case when ${keep} or (${same} and excluded.sha256 is null) then artifact_files.size else excluded.size end`,
      })),
    )
    .returningAll()
    .execute();
}

export async function fileByUploadToken(db: DB, token: string): Promise<(ArtifactFile & { state: Artifact['state'] }) | undefined> {
  return db
    .selectFrom('artifact_files as f')
    .innerJoin('artifacts as a', 'a.id', 'f.artifact_id')
    .selectAll('f')
    .select('a.state')
    .where('f.upload_token', '=', token)
    .executeTakeFirst();
}

/**
 * After a verified upload: binds the file whose URL it was, and every other unbound file of the same
 * pending version declaring the same MD5, to the received content, and retires their upload URLs.
 * One statement, conditional on the URL still being live, so an upload racing a commit binds nothing
 * (0) instead of changing a committed version.
 */
export async function bindUploadedContent(db: DB, fileId: number, token: string, content: StoredContent): Promise<number> {
  const result = await sql`
    with target as (
      select f.artifact_id, f.digest from artifact_files f join artifacts a on a.id = f.artifact_id
      where f.id = ${fileId} and f.upload_token = ${token} and f.sha256 is null and a.state = 'PENDING')
    update artifact_files f set sha256 = ${content.sha256}, size = ${content.size}, upload_token = null
    from target t
    where f.artifact_id = t.artifact_id and f.digest = t.digest and f.sha256 is null and f.ref is null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** A committed file bound to content with a declared MD5: a candidate for reuse, if its reader may download it. */
export interface ContentHolder extends StoredContent {
  digest: string;
  artifact_id: number;
}

/**
 * Committed files bound to content with these (base64) MD5s, per MD5: those of the latest versions of
 * `sequenceId` (the usual reuse: the next version of the same artifact) and the newest holders anywhere.
 * Bounded per MD5 (an index walk, never every holder of a common file); missing a holder only means
 * an upload.
 */
export async function committedHolders(db: DB, sequenceId: number, digests: readonly string[]): Promise<ContentHolder[]> {
  if (digests.length === 0) return [];
  const result = await sql<ContentHolder>`
    with recent as (select id from artifacts where sequence_id = ${sequenceId} and state = 'COMMITTED' order by version_index desc limit 3)
    select d.digest, c.sha256, c.size, c.artifact_id
    from (values ${sql.join(digests.map((d) => sql`(${d})`))}) d(digest)
    cross join lateral (
      (select f.sha256, f.size, f.artifact_id from artifact_files f
        where f.digest = d.digest and f.sha256 is not null and f.artifact_id = any(array(select id from recent)))
      union
      (select f.sha256, f.size, f.artifact_id from artifact_files f join artifacts a on a.id = f.artifact_id and a.state = 'COMMITTED'
        where f.digest = d.digest and f.sha256 is not null order by f.artifact_id desc limit 10)
    ) c
    order by c.artifact_id desc`.execute(db);
  return result.rows.map((r) => ({ ...r, size: Number(r.size) }));
}

/** Files of a version with no content yet (references have none to have). */
export async function unboundFiles(db: DB, artifactId: number): Promise<{ id: number; digest: string; size: number }[]> {
  return db
    .selectFrom('artifact_files')
    .select(['id', 'digest', 'size'])
    .where('artifact_id', '=', artifactId)
    .where('sha256', 'is', null)
    .where('ref', 'is', null)
    .execute();
}

/**
 * Binds unbound files of a version to content another of its files with the same MD5 and size holds
 * (the uploader sent those bytes for this very version). In short statements with a pause between
 * them, so a commit of many thousand files does not hold other requests (PGlite runs one statement at
 * a time, in process).
 */
export async function bindWithinVersion(db: DB, artifactId: number): Promise<void> {
  const range = await db
    .selectFrom('artifact_files')
    .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
    .where('artifact_id', '=', artifactId)
    .executeTakeFirst();
  if (range?.first == null || range.last == null) return;
  const size = manifestBatch(db);
  // By ranges of ids (a version's files are written in runs of ids), so no list of them is read.
  for (let lo = Number(range.first); lo <= Number(range.last); lo += size) {
    const started = performance.now();
    const hi = lo + size;
    // One bound holder per distinct content of the batch, found through the bound-digest index.
    await sql`update artifact_files f set sha256 = s.sha256, upload_token = null
      from (select d.digest, d.size, (select b.sha256 from artifact_files b
          where b.digest = d.digest and b.artifact_id = ${artifactId} and b.sha256 is not null and b.size = d.size limit 1) as sha256
        from (select distinct digest, size from artifact_files
          where artifact_id = ${artifactId} and id >= ${lo} and id < ${hi} and sha256 is null and ref is null) d) s
      where f.id >= ${lo} and f.id < ${hi} and f.artifact_id = ${artifactId}
        and f.sha256 is null and f.ref is null and s.sha256 is not null and f.digest = s.digest and f.size = s.size`.execute(db);
    await giveWay(db, started);
  }
}

/** Binds files (still unbound) of a version to reusable content, in short statements with pauses between. */
export async function bindFiles(db: DB, artifactId: number, bindings: readonly ({ id: number } & StoredContent)[]): Promise<void> {
  const size = manifestBatch(db);
  for (let i = 0; i < bindings.length; i += size) {
    const started = performance.now();
    const batch = bindings.slice(i, i + size);
    await sql`update artifact_files f set sha256 = v.sha256, size = v.size, upload_token = null
      from unnest(${batch.map((b) => b.id)}::int[], ${batch.map((b) => b.sha256)}::text[], ${batch.map((b) => b.size)}::bigint[]) v(id, sha256, size)
      where f.id = v.id and f.artifact_id = ${artifactId} and f.sha256 is null`.execute(db);
    await giveWay(db, started);
  }
}

/** A committed version's upload URLs never work again, whatever they were handed out for. */
export async function retireUploadTokens(db: DB, artifactId: number): Promise<void> {
  await db
    .updateTable('artifact_files')
    .set({ upload_token: null })
    .where('artifact_id', '=', artifactId)
    .where('upload_token', 'is not', null)
    .execute();
}

/** MD5 names of content stored before SHA-256 keys that some file still points at, in order, a page at a time. */
export async function legacyBlobNames(db: DB, after: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('artifact_files')
    .select('blob')
    .distinct()
    .where('blob', 'is not', null)
    .where('sha256', 'is', null)
    .where('blob', '>', after)
    .orderBy('blob')
    .limit(limit)
    .execute();
  return rows.map((r) => r.blob ?? '');
}

/** Binds every file stored under the old MD5 name to that content's SHA-256 (the backfill's one write). */
export async function bindLegacyBlob(db: DB, md5hex: string, content: StoredContent): Promise<void> {
  await db
    .updateTable('artifact_files')
    .set({ sha256: content.sha256, size: content.size, blob: null })
    .where('blob', '=', md5hex)
    .where('sha256', 'is', null)
    .execute();
}

export async function artifactByManifestToken(db: DB, token: string): Promise<Artifact | undefined> {
  return db.selectFrom('artifacts').selectAll().where('manifest_upload_token', '=', token).executeTakeFirst();
}

export async function setManifestUploadToken(db: DB, artifactId: number, token: string): Promise<void> {
  await db.updateTable('artifacts').set({ manifest_upload_token: token }).where('id', '=', artifactId).execute();
}

/**
 * Rows written per statement while a manifest is stored: each batch is a short transaction of its
 * own. Smaller in process (PGlite), where a statement holds every other request while it runs.
 */
const manifestBatch = (db: DB) => (runsInProcess(db) ? 250 : 1000);

/** Characters of manifest text per stored part (one statement each). */
const MANIFEST_PART_CHARS = 256 * 1024;

/** The text in parts of about `size` characters, never splitting a surrogate pair. */
function textParts(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

/**
 * Takes a manifest upload URL (it works once): the version has no manifest until this upload's rows
 * are all written, so it cannot be committed half-way; `claim` marks the upload that holds it.
 */
export async function claimManifestUpload(db: DB, token: string, claim: string): Promise<Artifact | undefined> {
  return db
    .updateTable('artifacts')
    .set({ manifest: null, manifest_upload_token: claim, updated_at: new Date() })
    .where('manifest_upload_token', '=', token)
    .where('state', '=', 'PENDING')
    .returningAll()
    .executeTakeFirst();
}

/**
 * Stores the manifest (its text as uploaded, and `header`: the manifest without its contents) and
 * makes its contents the artifact's files: rows for new paths, digests and sizes from the manifest,
 * rows no longer listed removed. Written in batches of short
 * transactions, so other requests run in between (PGlite has one connection); the version shows a
 * manifest only once all is written. False when a newer upload took the version meanwhile.
 */
export async function saveManifest(
  db: DB,
  artifactId: number,
  claim: string,
  manifest: { text: string; header: string },
  entries: readonly ManifestEntry[],
): Promise<boolean> {
  const cleared = await whileClaimed(db, artifactId, claim, async (trx) => {
    await trx.deleteFrom('artifact_manifest_parts').where('artifact_id', '=', artifactId).execute();
  });
  if (!cleared) return false;
  const listed = new Set(entries.map((e) => e.path));
  for (let after = 0; ;) {
    const started = performance.now();
    const page = await db
      .selectFrom('artifact_files')
      .select(['id', 'name'])
      .where('artifact_id', '=', artifactId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(manifestBatch(db))
      .execute();
    await giveWay(db, started);
    if (page.length === 0) break;
    after = page.at(-1)?.id ?? after;
    const removed = page.filter((f) => !listed.has(f.name)).map((f) => f.id);
    if (
      removed.length > 0 &&
      !(await whileClaimed(db, artifactId, claim, (trx) =>
        trx
          .deleteFrom('artifact_files')
          .where('id', 'in', removed)
          .execute()
          .then(() => undefined),
      ))
    ) {
      return false;
    }
  }
  const size = manifestBatch(db);
  for (let i = 0; i < entries.length; i += size) {
    const batch = entries.slice(i, i + size);
    const written = await whileClaimed(db, artifactId, claim, async (trx) => {
      const existing = await trx
        .selectFrom('artifact_files')
        .selectAll()
        .where('artifact_id', '=', artifactId)
        .where(
          'name',
          'in',
          batch.map((e) => e.path),
        )
        .execute();
      const byName = new Map(existing.map((f) => [f.name, f]));
      const rows = batch.map((e) => {
        const current = byName.get(e.path);
        // A file keeps its content only while its MD5 and size stay the same; others wait for an
        // upload or, at commit, for content their committer may reuse (content.ts).
        const sameContent = current !== undefined && current.digest === e.digest;
        const sha256 = e.ref ? null : sameContent && current.sha256 && Number(current.size) === e.size ? current.sha256 : null;
        return {
          artifact_id: artifactId,
          name: e.path,
          digest: e.digest,
          size: e.size,
          mimetype: current?.mimetype ?? null,
          sha256,
          upload_token: sha256 || e.ref ? null : sameContent ? current.upload_token : null,
          ref: e.ref,
        };
      });
      await trx
        .insertInto('artifact_files')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['artifact_id', 'name']).doUpdateSet((eb) => ({
            digest: eb.ref('excluded.digest'),
            size: eb.ref('excluded.size'),
            sha256: eb.ref('excluded.sha256'),
            upload_token: eb.ref('excluded.upload_token'),
            ref: eb.ref('excluded.ref'),
          })),
        )
        .execute();
    });
    if (!written) return false;
  }
  for (const [part, body] of textParts(manifest.text, MANIFEST_PART_CHARS).entries()) {
    const written = await whileClaimed(db, artifactId, claim, async (trx) => {
      await trx.insertInto('artifact_manifest_parts').values({ artifact_id: artifactId, part, body }).execute();
    });
    if (!written) return false;
  }
  return whileClaimed(db, artifactId, claim, async (trx) => {
    await trx
      .updateTable('artifacts')
      .set({ manifest: manifest.header, manifest_upload_token: null, updated_at: new Date() })
      .where('id', '=', artifactId)
      .execute();
  });
}

/** One part of a version's manifest text (0, 1, …); undefined after the last. */
export async function manifestPart(db: DB, artifactId: number, part: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('artifact_manifest_parts')
    .select('body')
    .where('artifact_id', '=', artifactId)
    .where('part', '=', part)
    .executeTakeFirst();
  return row?.body;
}

/** Files still waiting for content (content.ts binds what may be reused first). */
export async function missingFiles(db: DB, artifactId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('artifact_files')
    .select('name')
    .where('artifact_id', '=', artifactId)
    .where('sha256', 'is', null)
    .where('ref', 'is', null)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

export async function fileOfArtifact(db: DB, artifactId: number, fileId: number): Promise<ArtifactFile | undefined> {
  return db.selectFrom('artifact_files').selectAll().where('artifact_id', '=', artifactId).where('id', '=', fileId).executeTakeFirst();
}

/**
 * One page of an artifact's files by name (keyset on name), one extra row to tell if more follow.
 * The rows come as one `json` value: the SDK reads 5 000 a page, and decoding them row by row and
 * column by column costs PGlite twice the time of the whole query.
 */
export async function listFiles(
  db: DB,
  input: { artifactId: number; names: readonly string[] | null; after: CursorValue | undefined; first: number },
): Promise<ArtifactFile[]> {
  let query = db
    .selectFrom('artifact_files')
    .selectAll()
    .where('artifact_id', '=', input.artifactId)
    .orderBy('name')
    .limit(input.first + 1);
  if (input.names) query = input.names.length === 0 ? query.where(sql<boolean>`false`) : query.where('name', 'in', input.names);
  if (input.after) query = query.where('name', '>', String(input.after.v));
  const row = await db
    .selectFrom(query.as('f'))
    .select(sql<(Omit<ArtifactFile, 'created_at'> & { created_at: string })[] | null>`json_agg(f order by f.name)`.as('r'))
    .executeTakeFirstOrThrow();
  return (row.r ?? []).map((f) => ({ ...f, created_at: new Date(f.created_at) }));
}

export async function countFiles(db: DB, artifactId: number, names: readonly string[] | null): Promise<number> {
  let query = db
    .selectFrom('artifact_files')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('artifact_id', '=', artifactId);
  if (names) query = names.length === 0 ? query.where(sql<boolean>`false`) : query.where('name', 'in', names);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

// ---- lineage

/**
 * Runs `write` in a transaction of its own while the upload `claim` still holds the pending version,
 * which is locked meanwhile: a newer upload or a commit waits for it, and afterwards this one stops.
 */
async function whileClaimed(db: DB, artifactId: number, claim: string, write: (trx: DB) => Promise<void>): Promise<boolean> {
  const started = performance.now();
  const held = await db.transaction().execute(async (trx) => {
    const held = await trx
      .selectFrom('artifacts')
      .select('id')
      .where('id', '=', artifactId)
      .where('manifest_upload_token', '=', claim)
      .where('state', '=', 'PENDING')
      .forUpdate()
      .executeTakeFirst();
    if (!held) return false;
    await write(trx);
    return true;
  });
  await giveWay(db, started);
  return held;
}

/**
 * Lets other requests run between batches. PGlite runs one statement at a time, first come first
 * served, inside this process: back-to-back batches would hold the event loop and let a waiting
 * request (which needs several statements in a row) advance one statement per batch, so there the
 * writer pauses as long as its batch took (at most 100 ms). PostgreSQL serves others on other
 * connections meanwhile: one turn of the event loop is enough.
 */
async function giveWay(db: DB, started: number): Promise<void> {
  const pause = runsInProcess(db) ? Math.min(performance.now() - started, 100) : 0;
  await new Promise((resolve) => setTimeout(resolve, pause));
}

// ---- direct uploads (S3)

/** A file whose bytes may be waiting at its upload key in the bucket: not bound yet, with a live upload URL. */
export interface DirectUploadRow {
  id: number;
  name: string;
  digest: string;
  size: number;
  upload_token: string;
}

export async function filesAwaitingUpload(db: DB, artifactId: number): Promise<DirectUploadRow[]> {
  const rows = await db
    .selectFrom('artifact_files')
    .select(['id', 'name', 'digest', 'size', 'upload_token'])
    .where('artifact_id', '=', artifactId)
    .where('sha256', 'is', null)
    .where('ref', 'is', null)
    .where('upload_token', 'is not', null)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ ...r, size: Number(r.size), upload_token: r.upload_token ?? '' }));
}

export async function fileOfUpload(db: DB, artifactId: number, token: string): Promise<ArtifactFile | undefined> {
  return db
    .selectFrom('artifact_files')
    .selectAll()
    .where('artifact_id', '=', artifactId)
    .where('upload_token', '=', token)
    .executeTakeFirst();
}
