import type { Client, CombinedError } from 'urql';
import { errorMessage } from '@/lib/errors';
import { graphql } from '@/lib/graphql';
import { putWithProgress } from '@/lib/http';
import { md5Hex, md5OfBlob } from '@/lib/md5';

// The SDK's write path (wandb-compat/logging-inputs.md), one document per step, sent through the
// app's GraphQL client; the file bodies go to the upload URLs the server hands out.

const UpsertBucket = graphql(`
  mutation LogVersionDialog_UpsertBucket($input: UpsertBucketInput!) {
    upsertBucket(input: $input) {
      bucket {
        id
        name
      }
    }
  }
`);

const CreateArtifact = graphql(`
  mutation LogVersionDialog_CreateArtifact($input: CreateArtifactInput!) {
    createArtifact(input: $input) {
      artifact {
        id
        state
      }
    }
  }
`);

const CreateArtifactFiles = graphql(`
  mutation LogVersionDialog_CreateArtifactFiles($input: CreateArtifactFilesInput!) {
    createArtifactFiles(input: $input) {
      files {
        edges {
          node {
            id
            name
            uploadUrl
          }
        }
      }
    }
  }
`);

const CreateArtifactManifest = graphql(`
  mutation LogVersionDialog_CreateArtifactManifest($input: CreateArtifactManifestInput!) {
    createArtifactManifest(input: $input) {
      artifactManifest {
        id
        file {
          id
          uploadUrl
        }
      }
    }
  }
`);

const CommitArtifact = graphql(`
  mutation LogVersionDialog_Commit($input: CommitArtifactInput!) {
    commitArtifact(input: $input) {
      artifact {
        id
        versionIndex
        artifactType {
          id
          name
        }
        artifactSequence {
          id
          name
          project {
            id
          }
        }
      }
    }
  }
`);

export interface LogVersionInput {
  entity: string;
  project: string;
  type: string;
  name: string;
  description: string;
  metadata: Record<string, unknown>;
  files: File[];
}

export interface LogProgress {
  phase: 'hashing' | 'uploading' | 'committing';
  loaded: number;
  total: number;
}

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

async function run<T>(step: Promise<{ data?: T; error?: CombinedError }>): Promise<T> {
  const result = await step;
  if (result.error || !result.data) throw new Error(result.error ? errorMessage(result.error) : 'No answer from the server.');
  return result.data;
}

/** Logs a version as the SDK does; resolves with its vN once committed. */
export async function logVersion(client: Client, input: LogVersionInput, onProgress: (p: LogProgress) => void) {
  const total = input.files.reduce((sum, f) => sum + f.size, 0);
  onProgress({ phase: 'hashing', loaded: 0, total });
  const entries = new Map<string, { file: File; md5: string }>();
  for (const file of input.files) entries.set(file.name, { file, md5: await md5OfBlob(file) });
  const paths = [...entries.keys()].sort();
  // The artifact digest as logging-inputs.md defines it.
  const digest = md5Hex(`wandb-artifact-manifest-v1\n${paths.map((p) => `${p}:${entries.get(p)?.md5}\n`).join('')}`);

  const runName = `upload-${randomHex(4)}`;
  const scope = { entityName: input.entity, projectName: input.project };
  await run(
    client
      .mutation(UpsertBucket, { input: { name: runName, entityName: input.entity, modelName: input.project, jobType: 'upload' } })
      .toPromise(),
  );
  const { createArtifact } = await run(
    client
      .mutation(CreateArtifact, {
        input: {
          ...scope,
          runName,
          artifactTypeName: input.type,
          artifactCollectionName: input.name,
          artifactCollectionNames: [input.name],
          digest,
          digestAlgorithm: 'MANIFEST_MD5',
          description: input.description || null,
          metadata: JSON.stringify(input.metadata),
          aliases: [],
          clientID: randomHex(16),
          sequenceClientID: randomHex(16),
          enableDigestDeduplication: false,
        },
      })
      .toPromise(),
  );
  const artifactID = createArtifact.artifact.id;

  const declared = await run(
    client
      .mutation(CreateArtifactFiles, {
        input: {
          storageLayout: 'V2',
          artifactFiles: paths.map((name) => ({
            artifactID,
            name,
            md5: entries.get(name)?.md5 ?? '',
            mimetype: entries.get(name)?.file.type || null,
          })),
        },
      })
      .toPromise(),
  );
  let sent = 0;
  onProgress({ phase: 'uploading', loaded: 0, total });
  for (const { node } of declared.createArtifactFiles.files.edges) {
    const entry = entries.get(node.name);
    if (!entry) continue;
    // Content the server already holds (same MD5) gets no upload URL.
    if (node.uploadUrl) {
      await putWithProgress(node.uploadUrl, entry.file, { 'Content-MD5': entry.md5 }, (loaded) =>
        onProgress({ phase: 'uploading', loaded: sent + loaded, total }),
      );
    }
    sent += entry.file.size;
    onProgress({ phase: 'uploading', loaded: sent, total });
  }

  onProgress({ phase: 'committing', loaded: total, total });
  const contents: Record<string, { digest: string; size: number }> = {};
  for (const path of paths) {
    const entry = entries.get(path);
    if (entry) contents[path] = { digest: entry.md5, size: entry.file.size };
  }
  const manifest = JSON.stringify({
    version: 1,
    storagePolicy: 'wandb-storage-policy-v1',
    storagePolicyConfig: { storageLayout: 'V2' },
    contents,
  });
  const { createArtifactManifest } = await run(
    client
      .mutation(CreateArtifactManifest, {
        input: { artifactID, ...scope, runName, name: 'wandb_manifest.json', digest: '', type: 'FULL' },
      })
      .toPromise(),
  );
  const manifestUrl = createArtifactManifest.artifactManifest.file.uploadUrl;
  if (!manifestUrl) throw new Error('The server gave no upload URL for the manifest.');
  const manifestBlob = new Blob([manifest], { type: 'application/json' });
  await putWithProgress(manifestUrl, manifestBlob, { 'Content-MD5': await md5OfBlob(manifestBlob) }, () => undefined);
  const { commitArtifact } = await run(client.mutation(CommitArtifact, { input: { artifactID } }).toPromise());
  return commitArtifact.artifact;
}
