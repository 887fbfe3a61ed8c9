import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestApp, type TestApp } from '../support/app.js';
import { onPostgres } from '../support/db.js';
import { logArtifact } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

// Counts SQL statements per request: a page of files or versions must cost the same whatever its size.
let t: TestApp;
let statements = 0;

beforeAll(async () => {
  if (onPostgres) return;
  t = await createTestApp({ onQuery: () => (statements += 1) });
});
afterAll(() => t?.close());

async function count(run: () => Promise<unknown>): Promise<number> {
  const before = statements;
  await run();
  return statements - before;
}

describe.skipIf(onPostgres)('statements per request', () => {
  it('ArtifactFileURLs costs the same for 2 and 40 files', async () => {
    const small = await logArtifact(t, { entity: ADMIN, project: 'p', name: 'small', type: 'model', files: { a: 'a', b: 'b' } });
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.txt`, `content ${i}`]));
    const large = await logArtifact(t, { entity: ADMIN, project: 'p', name: 'large', type: 'model', files });
    const urls = (id: string) => t.gql(sdkDocument('ArtifactFileURLs'), { id, perPage: 50 });
    await urls(small.artifactId); // warms the signing secret cache
    const a = await count(() => urls(small.artifactId));
    const b = await count(() => urls(large.artifactId));
    expect(b).toBe(a);
    expect(b).toBeLessThanOrEqual(8);
  });

  it('a version by id comes with its sequence, project, owner, tags and aliases in one statement', async () => {
    const v = await logArtifact(t, { entity: ADMIN, project: 'ids', name: 'net', type: 'model', files: { a: 'a' } });
    const byId = (document: string) =>
      count(async () => expect((await t.gql(sdkDocument(document), { id: v.artifactId })).errors).toBeUndefined());
    // The API key statement, then one for everything the document shows.
    expect(await byId('ArtifactByID')).toBe(2);
    expect(await byId('ArtifactCreatedBy')).toBeLessThanOrEqual(3);
    expect(await byId('ArtifactUsedBy')).toBeLessThanOrEqual(3);
    const linked = await count(async () =>
      expect((await t.gql(sdkDocument('FetchLinkedArtifacts'), { artifactID: v.artifactId })).errors).toBeUndefined(),
    );
    expect(linked).toBeLessThanOrEqual(3);
  });

  it('RunOutputArtifacts costs the same for 1 and 6 versions', async () => {
    await logArtifact(t, { entity: ADMIN, project: 'q', name: 'one', type: 'model', files: { a: '1' }, run: 'r1' });
    for (let i = 0; i < 6; i += 1)
      await logArtifact(t, { entity: ADMIN, project: 'q', name: `many${i}`, type: 'model', files: { a: String(i) }, run: 'r6' });
    const outputs = (run: string) => t.gql(sdkDocument('RunOutputArtifacts'), { entity: ADMIN, project: 'q', run, perPage: 50 });
    const one = await count(() => outputs('r1'));
    const six = await count(() => outputs('r6'));
    expect(six).toBe(one);
  });
});
