import { randomBytes } from 'node:crypto';
import { data, idNumber, type SeedClient } from './client.js';
import { logArtifact, type LogArtifactOptions, type LoggedArtifact } from './sdk-logging.js';

/** Logs a version through the SDK's write path (run, artifact, manifest, file PUTs, commit). */
export function logVersion(seed: SeedClient, options: LogArtifactOptions): Promise<LoggedArtifact> {
  return logArtifact(seed, options);
}

export interface SourceVersion {
  /** Artifact id as the SDK sees it (base64 `Artifact:N`). */
  id: string;
  artifactId: number;
  /** Its index in its source collection (-1 while PENDING). */
  versionIndex: number;
  sequenceId: number;
}

/**
 * A version in `entity/project/name` (the team must exist; the project and the collection are made
 * by logging), with one small file of its own so that no two versions share a digest. COMMITTED
 * unless `state` says PENDING.
 */
export async function createSourceVersion(
  seed: SeedClient,
  options: {
    entity: string;
    project: string;
    name: string;
    type?: string;
    metadata?: Record<string, unknown>;
    state?: 'PENDING' | 'COMMITTED';
    files?: Record<string, string | Uint8Array>;
    key?: string;
    /** Logged in a run (the default) or, with null, by the user directly. */
    run?: null;
  },
): Promise<SourceVersion> {
  const committed = (options.state ?? 'COMMITTED') === 'COMMITTED';
  const logged = await logArtifact(seed, {
    entity: options.entity,
    project: options.project,
    name: options.name,
    type: options.type ?? 'model',
    metadata: options.metadata,
    files: options.files ?? { 'version.txt': randomBytes(8).toString('hex') },
    commit: committed,
    ...(options.run === null ? { run: null } : {}),
    ...(options.key === undefined ? {} : { key: options.key }),
  });
  return {
    id: logged.artifactId,
    artifactId: idNumber(logged.artifactId),
    versionIndex: committed ? logged.versionIndex : -1,
    sequenceId: idNumber(logged.sequenceId),
  };
}

/** Tags a version (by its Artifact id) wherever it is: its own sequence and every collection it is linked into. */
export async function addVersionTags(seed: SeedClient, options: { artifactId: string; tags: readonly string[] }): Promise<void> {
  await data(seed, `mutation SeedVersionTags($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { id } } }`, {
    input: { artifactID: options.artifactId, tagsToAdd: options.tags.map((tagName) => ({ tagName })) },
  });
}
