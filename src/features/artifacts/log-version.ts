import type { Client, CombinedError } from 'urql';
import { errorMessage } from '@/lib/errors';
import { graphql } from '@/lib/graphql';
import { HttpError, putWithProgress } from '@/lib/http';
import { md5Hex, md5OfBlob, md5OfBlobParts } from '@/lib/md5';

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
            storagePath
            uploadMultipartUrls {
              uploadID
              uploadUrlParts {
                partNumber
                uploadUrl
              }
            }
          }
        }
      }
    }
  }
`);

const CompleteMultipartUpload = graphql(`
  mutation LogVersionDialog_CompleteMultipartUpload($input: CompleteMultipartUploadArtifactInput!) {
    completeMultipartUploadArtifact(input: $input) {
      digest
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

/** Files larger than this go up in parts: each part can fail and be sent again on its own. */
export const MULTIPART_THRESHOLD = 64 * 1024 * 1024;
/** A part's size: a multiple of the 4 MiB hashing slice, and above S3's 5 MiB minimum. */
export const PART_SIZE = 16 * 1024 * 1024;
/** How often a part (or a whole file) is tried before the upload stops and waits for a Resume. */
const ATTEMPTS = 3;

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

async function run<T>(step: Promise<{ data?: T; error?: CombinedError }>): Promise<T> {
  const result = await step;
  // Not reaching the server is a network error like a failed PUT: the upload can be resumed.
  if (result.error?.networkError) throw new HttpError(errorMessage(result.error), 0);
  if (result.error || !result.data) throw new Error(result.error ? errorMessage(result.error) : 'No answer from the server.');
  return result.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A PUT tried again after a network error or a server error (1 s, then 2 s later); a refusal (4xx)
 * is final. Rejects with the last error once the attempts are spent.
 */
async function putWithRetry(url: string, body: Blob, headers: Record<string, string>, onProgress: (loaded: number) => void) {
  for (let attempt = 1; ; attempt++) {
    try {
      await putWithProgress(url, body, headers, onProgress);
      return;
    } catch (error) {
      const retryable = error instanceof HttpError && (error.status === 0 || error.status >= 500);
      if (!retryable || attempt >= ATTEMPTS) throw error;
      onProgress(0);
      await sleep(1000 * 2 ** (attempt - 1));
    }
  }
}

interface Entry {
  file: File;
  md5: string;
  /** Hex MD5 of each part, for a file sent in parts. */
  partsHex: string[] | null;
}

/** A declared file as createArtifactFiles answers it: where its bytes go. */
interface Declared {
  name: string;
  uploadUrl: string | null;
  storagePath: string | null;
  uploadMultipartUrls: { uploadID: string; uploadUrlParts: { partNumber: number; uploadUrl: string }[] } | null;
}

/** Why an upload stopped: `resumable` when a Resume can continue it (the version is still pending). */
export class UploadStopped extends Error {
  constructor(
    message: string,
    readonly resumable: boolean,
  ) {
    super(message);
  }
}

/**
 * Logs a version as the SDK does. Every step it finishes is kept, so after a network error `run()`
 * again continues where it stopped (with the same upload URLs: the parts already sent are not sent
 * again) instead of starting a new version.
 */
export function versionUpload(client: Client, input: LogVersionInput) {
  const total = input.files.reduce((sum, f) => sum + f.size, 0);
  const state: {
    entries?: Map<string, Entry>;
    artifactID?: string;
    runName?: string;
    declared?: Declared[];
    sentParts: Set<string>;
    doneFiles: Set<string>;
    committed?: Awaited<ReturnType<typeof commit>>;
  } = { sentParts: new Set(), doneFiles: new Set() };
  const scope = { entityName: input.entity, projectName: input.project };
  const sizeOf = (name: string) => state.entries?.get(name)?.file.size ?? 0;

  async function hash(onProgress: (p: LogProgress) => void) {
    onProgress({ phase: 'hashing', loaded: 0, total });
    const entries = new Map<string, Entry>();
    for (const file of input.files) {
      if (file.size > MULTIPART_THRESHOLD) {
        const { md5, partsHex } = await md5OfBlobParts(file, PART_SIZE);
        entries.set(file.name, { file, md5, partsHex });
      } else {
        entries.set(file.name, { file, md5: await md5OfBlob(file), partsHex: null });
      }
    }
    return entries;
  }

  async function create(entries: Map<string, Entry>) {
    const paths = [...entries.keys()].sort();
    // The artifact digest as logging-inputs.md defines it.
    const digest = md5Hex(`wandb-artifact-manifest-v1\n${paths.map((p) => `${p}:${entries.get(p)?.md5}\n`).join('')}`);
    const runName = `upload-${randomHex(4)}`;
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
    return { artifactID: createArtifact.artifact.id, runName };
  }

  async function declare(artifactID: string, entries: Map<string, Entry>): Promise<Declared[]> {
    const declared = await run(
      client
        .mutation(CreateArtifactFiles, {
          input: {
            storageLayout: 'V2',
            artifactFiles: [...entries.keys()].sort().map((name) => {
              const entry = entries.get(name);
              return {
                artifactID,
                name,
                md5: entry?.md5 ?? '',
                mimetype: entry?.file.type || null,
                uploadPartsInput: entry?.partsHex?.map((hexMD5, i) => ({ hexMD5, partNumber: i + 1 })) ?? null,
              };
            }),
          },
        })
        .toPromise(),
    );
    return declared.createArtifactFiles.files.edges.map(({ node }) => node);
  }

  /** Sends one file: whole, or part by part (parts sent before a stop are skipped), then joined. */
  async function send(artifactID: string, node: Declared, entry: Entry, progress: (loaded: number) => void) {
    const multipart = node.uploadMultipartUrls;
    if (multipart && entry.partsHex && node.storagePath) {
      let done = 0;
      for (const part of multipart.uploadUrlParts) {
        const key = `${node.name}#${part.partNumber}`;
        const start = (part.partNumber - 1) * PART_SIZE;
        const body = entry.file.slice(start, start + PART_SIZE);
        const hex = entry.partsHex[part.partNumber - 1] ?? '';
        if (!state.sentParts.has(key)) {
          const md5 = btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16))));
          await putWithRetry(part.uploadUrl, body, { 'Content-MD5': md5 }, (loaded) => progress(done + loaded));
          state.sentParts.add(key);
        }
        done += body.size;
        progress(done);
      }
      await run(
        client
          .mutation(CompleteMultipartUpload, {
            input: {
              artifactID,
              completeMultipartAction: 'Complete',
              storagePath: node.storagePath,
              uploadID: multipart.uploadID,
              completedParts: entry.partsHex.map((hexMD5, i) => ({ hexMD5, partNumber: i + 1 })),
            },
          })
          .toPromise(),
      );
    } else if (node.uploadUrl) {
      // Content the server already holds (same MD5) gets no upload URL.
      await putWithRetry(node.uploadUrl, entry.file, { 'Content-MD5': entry.md5 }, progress);
    }
  }

  async function commit(artifactID: string, runName: string, entries: Map<string, Entry>) {
    const contents: Record<string, { digest: string; size: number }> = {};
    for (const [path, entry] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1)))
      contents[path] = { digest: entry.md5, size: entry.file.size };
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
    await putWithRetry(manifestUrl, manifestBlob, { 'Content-MD5': await md5OfBlob(manifestBlob) }, () => undefined);
    const { commitArtifact } = await run(client.mutation(CommitArtifact, { input: { artifactID } }).toPromise());
    return commitArtifact.artifact;
  }

  return {
    /** Runs the upload, or continues it from where it stopped; resolves with the committed version. */
    async run(onProgress: (p: LogProgress) => void) {
      try {
        state.entries ??= await hash(onProgress);
        const entries = state.entries;
        if (!state.artifactID || !state.runName) Object.assign(state, await create(entries));
        const artifactID = state.artifactID ?? '';
        state.declared ??= await declare(artifactID, entries);
        let sent = [...state.doneFiles].reduce((sum, name) => sum + sizeOf(name), 0);
        onProgress({ phase: 'uploading', loaded: sent, total });
        for (const node of state.declared) {
          const entry = entries.get(node.name);
          if (!entry || state.doneFiles.has(node.name)) continue;
          const before = sent;
          await send(artifactID, node, entry, (loaded) => onProgress({ phase: 'uploading', loaded: before + loaded, total }));
          state.doneFiles.add(node.name);
          sent += entry.file.size;
          onProgress({ phase: 'uploading', loaded: sent, total });
        }
        onProgress({ phase: 'committing', loaded: total, total });
        state.committed ??= await commit(artifactID, state.runName ?? '', entries);
        return state.committed;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // A network error leaves everything sent so far in place; a refusal would only be refused again.
        const network = (error instanceof HttpError && (error.status === 0 || error.status >= 500)) || error instanceof TypeError;
        throw new UploadStopped(network ? `${message} Resume continues with what is not uploaded yet.` : message, network);
      }
    },
  };
}
