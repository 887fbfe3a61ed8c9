import { createHash, randomBytes } from 'node:crypto';
import type { SeedClient } from './client.js';
import { sdkDocument } from './sdk-operations.js';

/** What logging needs of a server: GraphQL as a user (by API key), and plain requests for the file PUTs. */
export type SdkClient = Pick<SeedClient, 'gql' | 'request'>;

export interface LogArtifactOptions {
  entity: string;
  project: string;
  /** The artifact (sequence) name. */
  name: string;
  type: string;
  /** path → content. */
  files: Record<string, string | Uint8Array>;
  metadata?: Record<string, unknown>;
  description?: string;
  aliases?: string[];
  /** Tags of the new version (the SDK omits the field when there are none). */
  tags?: string[];
  /** API key to log with (the admin's by default). */
  key?: string;
  /** Run name (a random one by default); null: no run, as a script without wandb.init logs (createdBy is the user). */
  run?: string | null;
  /** Send enableDigestDeduplication, as the SDK does for run.log_artifact. */
  dedupe?: boolean;
  /** path → the mimetype the uploader declares (none by default). */
  mimetypes?: Record<string, string>;
  /** false: stop before CommitArtifact, leaving the version PENDING (true by default). */
  commit?: boolean;
}

export interface LoggedArtifact {
  /** GraphQL id (base64 `Artifact:N`). */
  artifactId: string;
  versionIndex: number;
  /** GraphQL id of its source collection (base64 `ArtifactSequence:N`). */
  sequenceId: string;
  digest: string;
  run: string | null;
}

export const md5Base64 = (content: string | Uint8Array) => createHash('md5').update(content).digest('base64');

/** The artifact digest as logging-inputs.md defines it. */
export function artifactDigest(entries: Record<string, string>): string {
  const hash = createHash('md5').update('wandb-artifact-manifest-v1\n');
  for (const path of Object.keys(entries).sort()) hash.update(`${path}:${entries[path]}\n`);
  return hash.digest('hex');
}

/** The manifest JSON the SDK uploads (artifact_manifest_v1.py). */
export function manifestJson(files: Record<string, string | Uint8Array>): string {
  const contents: Record<string, { digest: string; size: number }> = {};
  for (const [path, content] of Object.entries(files)) {
    contents[path] = { digest: md5Base64(content), size: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength };
  }
  return JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: 'V2' }, contents });
}

function check(step: string, res: { errors?: { message: string }[]; data?: Record<string, unknown> | null }): Record<string, unknown> {
  if (res.errors?.length || !res.data) throw new Error(`${step} failed: ${res.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  return res.data;
}

/**
 * PUTs a body to a URL the server handed out, with its upload headers (`Name:value`, as the SDK sends
 * them). The server's own `/files/` URLs go to the app (which may be served in-process); any other is
 * a storage service's presigned URL, fetched over the network.
 */
export async function putTo(
  t: Pick<SdkClient, 'request'>,
  url: string,
  body: string | Uint8Array,
  headers: readonly string[] = [],
): Promise<Response> {
  const { pathname, search } = new URL(url);
  const init = {
    method: 'PUT',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: headers.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1)] as [string, string]),
  };
  return pathname.startsWith('/files/') ? t.request(pathname + search, init) : fetch(url, init);
}

/**
 * Logs a version the way the SDK's Go sidecar does, with its verbatim documents: upsert the run,
 * create the artifact, create its manifest, declare its files, PUT each, PUT the manifest, commit.
 */
export async function logArtifact(t: SdkClient, options: LogArtifactOptions): Promise<LoggedArtifact> {
  const key = options.key === undefined ? {} : { key: options.key };
  const run = options.run === undefined ? randomBytes(4).toString('hex') : options.run;
  if (run !== null) {
    check(
      'UpsertBucket',
      await t.gql(sdkDocument('UpsertBucket'), { name: run, project: options.project, entity: options.entity, jobType: 'train' }, key),
    );
  }

  const digests = Object.fromEntries(Object.entries(options.files).map(([path, content]) => [path, md5Base64(content)]));
  const digest = artifactDigest(digests);
  const created = check(
    'CreateArtifact',
    await t.gql(
      sdkDocument('CreateArtifact'),
      {
        input: {
          entityName: options.entity,
          projectName: options.project,
          runName: run,
          artifactTypeName: options.type,
          artifactCollectionName: options.name,
          artifactCollectionNames: [options.name],
          digest,
          digestAlgorithm: 'MANIFEST_MD5',
          description: options.description ?? null,
          labels: null,
          metadata: JSON.stringify(options.metadata ?? {}),
          aliases: (options.aliases ?? []).map((alias) => ({ alias, artifactCollectionName: options.name })),
          clientID: randomBytes(16).toString('hex'),
          sequenceClientID: randomBytes(16).toString('hex'),
          enableDigestDeduplication: options.dedupe ?? false,
          historyStep: null,
          distributedID: null,
          ttlDurationSeconds: null,
          storageRegion: null,
          ...(options.tags?.length ? { tags: options.tags.map((tagName) => ({ tagName })) } : {}),
        },
      },
      key,
    ),
  ).createArtifact as { artifact: { id: string; state: string } };
  const artifactId = created.artifact.id;

  if (created.artifact.state !== 'COMMITTED') {
    const manifestText = manifestJson(options.files);
    const manifest = check(
      'CreateArtifactManifest',
      await t.gql(
        sdkDocument('CreateArtifactManifest'),
        {
          artifactID: artifactId,
          baseArtifactID: null,
          name: 'wandb_manifest.json',
          digest: '',
          entityName: options.entity,
          projectName: options.project,
          runName: run ?? '',
          manifestType: 'FULL',
          includeUpload: false,
        },
        key,
      ),
    ).createArtifactManifest as { artifactManifest: { id: string } };

    // In batches of 1000, as the SDK sends them (artifact_saver.py: StepPrepare max_batch_size).
    const paths = Object.keys(options.files);
    for (let start = 0; start < paths.length; start += 1000) {
      const batch = paths.slice(start, start + 1000);
      const files = check(
        'CreateArtifactFiles',
        await t.gql(
          sdkDocument('CreateArtifactFiles'),
          {
            storageLayout: 'V2',
            artifactFiles: batch.map((name) => ({
              artifactID: artifactId,
              artifactManifestID: manifest.artifactManifest.id,
              name,
              md5: digests[name],
              mimetype: options.mimetypes?.[name] ?? null,
              uploadPartsInput: null,
            })),
          },
          key,
        ),
      ).createArtifactFiles as { files: { edges: { node: { uploadUrl: string | null; uploadHeaders: string[] } }[] } };
      for (const [index, edge] of files.files.edges.entries()) {
        const url = edge.node.uploadUrl;
        const content = options.files[batch[index] ?? ''];
        if (url && content !== undefined) {
          const put = await putTo(t, url, content, edge.node.uploadHeaders);
          if (!put.ok) throw new Error(`PUT ${batch[index]} failed: ${put.status} ${await put.text()}`);
        }
      }
    }

    const updated = check(
      'UpdateArtifactManifest',
      await t.gql(
        sdkDocument('UpdateArtifactManifest'),
        { artifactManifestID: manifest.artifactManifest.id, digest: md5Base64(manifestText), baseArtifactID: null, includeUpload: true },
        key,
      ),
    ).updateArtifactManifest as { artifactManifest: { file: { uploadUrl: string } } };
    const put = await putTo(t, updated.artifactManifest.file.uploadUrl, manifestText);
    if (!put.ok) throw new Error(`PUT manifest failed: ${put.status} ${await put.text()}`);

    if (options.commit !== false) check('CommitArtifact', await t.gql(sdkDocument('CommitArtifact'), { artifactID: artifactId }, key));
  }

  const read = check(
    'artifact',
    await t.gql(`query ($id: ID!) { artifact(id: $id) { versionIndex artifactSequence { id } } }`, { id: artifactId }, key),
  ).artifact as { versionIndex: number; artifactSequence: { id: string } };
  return { artifactId, versionIndex: read.versionIndex, sequenceId: read.artifactSequence.id, digest, run };
}
