import { data, DEFAULT_ORG, registryProject, type SeedClient } from './client.js';
import { artifactDigest, putTo } from './sdk-logging.js';

// Seeding at scale (thousands of versions) through the same public API, in as few requests as it
// allows: one request carries up to PER_REQUEST mutations of a kind as aliased root fields (run one
// after another, as mutations are), and a version's only file is a reference, so nothing but its
// manifest is uploaded. Logging a version this way takes 4 requests per PER_REQUEST versions plus a
// manifest PUT each, instead of the SDK path's 8 or 9 per version.

/** Root fields per request: the server refuses more than 30 aliases in one document. */
const PER_REQUEST = 25;

/** Runs `field(input: …)` once per input in one request; the answers in input order. */
async function fieldPerInput<T>(seed: SeedClient, field: string, inputType: string, selection: string, inputs: unknown[]): Promise<T[]> {
  const variables = inputs.map((_, i) => `$i${i}: ${inputType}!`).join(', ');
  const fields = inputs.map((_, i) => `f${i}: ${field}(input: $i${i}) ${selection}`).join(' ');
  const answer = await data<Record<string, T>>(
    seed,
    `mutation SeedBulk(${variables}) { ${fields} }`,
    Object.fromEntries(inputs.map((input, i) => [`i${i}`, input])),
  );
  return inputs.map((_, i) => answer[`f${i}`] as T);
}

/**
 * Runs `make` on 0…count-1 in chunks of PER_REQUEST, `parallel` chunks at a time; the first chunk
 * alone, so what it creates (a project, a collection) exists before the racing ones.
 */
async function inChunks<T>(count: number, parallel: number, make: (indices: number[]) => Promise<T[]>): Promise<T[]> {
  const chunks: number[][] = [];
  for (let start = 0; start < count; start += PER_REQUEST) {
    chunks.push(Array.from({ length: Math.min(PER_REQUEST, count - start) }, (_, k) => start + k));
  }
  const made: T[] = [];
  const [first, ...rest] = chunks;
  if (first) made.push(...(await make(first)));
  for (let at = 0; at < rest.length; at += parallel) {
    const results = await Promise.all(rest.slice(at, at + parallel).map(make));
    made.push(...results.flat());
  }
  return made;
}

export interface BulkVersion {
  /** GraphQL id (base64 `Artifact:N`). */
  artifactId: string;
  versionIndex: number;
}

/**
 * Logs `count` committed versions of `entity/project/name` (the team must exist; the project and
 * the collection are made by the first). Each holds one file, a reference to `https://weights.example/…`
 * unique to it, so no two share a digest. Returned oldest (v0) first.
 */
export async function logVersionsInBulk(
  seed: SeedClient,
  options: { entity: string; project: string; name: string; type?: string; count: number; parallel?: number },
): Promise<BulkVersion[]> {
  const { entity, project, name } = options;
  const nonce = Math.random().toString(36).slice(2, 10);
  const entryOf = (i: number) => ({ digest: `${nonce}-${i}`, ref: `https://weights.example/${nonce}/${i}`, size: 1 });
  const logged = await inChunks(options.count, options.parallel ?? 4, async (indices) => {
    const created = await fieldPerInput<{ artifact: { id: string } }>(
      seed,
      'createArtifact',
      'CreateArtifactInput',
      '{ artifact { id } }',
      indices.map((i) => ({
        entityName: entity,
        projectName: project,
        artifactTypeName: options.type ?? 'model',
        artifactCollectionName: name,
        digest: artifactDigest({ 'weights.bin': entryOf(i).digest }),
        digestAlgorithm: 'MANIFEST_MD5',
      })),
    );
    const ids = created.map((c) => c.artifact.id);
    const manifests = await fieldPerInput<{ artifactManifest: { file: { uploadUrl: string } } }>(
      seed,
      'createArtifactManifest',
      'CreateArtifactManifestInput',
      '{ artifactManifest { file { uploadUrl } } }',
      ids.map((id) => ({ artifactID: id, name: 'wandb_manifest.json', digest: '', entityName: entity, projectName: project, runName: '' })),
    );
    await Promise.all(
      manifests.map(async (m, k) => {
        const manifest = JSON.stringify({
          version: 1,
          storagePolicy: 'wandb-storage-policy-v1',
          storagePolicyConfig: { storageLayout: 'V2' },
          contents: { 'weights.bin': entryOf(indices[k] ?? 0) },
        });
        const put = await putTo(seed, m.artifactManifest.file.uploadUrl, manifest);
        if (!put.ok) throw new Error(`PUT manifest failed: ${put.status} ${await put.text()}`);
      }),
    );
    const committed = await fieldPerInput<{ artifact: BulkVersion & { id: string } }>(
      seed,
      'commitArtifact',
      'CommitArtifactInput',
      '{ artifact { id versionIndex } }',
      ids.map((id) => ({ artifactID: id })),
    );
    return committed.map(({ artifact }) => ({ artifactId: artifact.id, versionIndex: artifact.versionIndex }));
  });
  return logged.sort((a, b) => a.versionIndex - b.versionIndex);
}

/**
 * Links source versions (GraphQL Artifact ids) into registry collections, creating each collection
 * when missing; `collectionOf(i)` names the one the i-th goes to. Returns each one's vN there, in
 * the order given.
 */
export async function linkVersionsInBulk(
  seed: SeedClient,
  options: { artifactIds: readonly string[]; registry: string; collectionOf: (i: number) => string; parallel?: number; org?: string },
): Promise<number[]> {
  return inChunks(options.artifactIds.length, options.parallel ?? 4, async (indices) => {
    const linked = await fieldPerInput<{ versionIndex: number }>(
      seed,
      'linkArtifact',
      'LinkArtifactInput',
      '{ versionIndex }',
      indices.map((i) => ({
        artifactID: options.artifactIds[i],
        artifactPortfolioName: options.collectionOf(i),
        entityName: options.org ?? DEFAULT_ORG,
        projectName: registryProject(options.registry),
      })),
    );
    return linked.map((l) => l.versionIndex);
  });
}
