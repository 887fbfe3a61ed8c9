import type { Artifact } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { type StoredContent, bindFiles, bindWithinVersion, committedHolders, unboundFiles } from './repository-files.js';
import { artifactAccess } from './access.js';
import { loadArtifact } from '../collections/loaders.js';

/**
 * Which stored content a version may bind its files to without uploading them. Knowing an MD5 proves
 * nothing (any reader sees it, and MD5 collisions are cheap), so content is reused only from a
 * committed version the viewer may already *download*, with the same MD5 (and the same size where
 * it is declared). Reading is not enough: a registry's restricted viewer sees a version's MD5s but
 * may not have its bytes, and reuse would hand them over through a version of their own.
 * Returns a lookup by base64 MD5 and size (null: any size).
 */
export async function reusableContent(
  ctx: Context,
  sequenceId: number,
  digests: readonly string[],
): Promise<(digest: string, size: number | null) => StoredContent | null> {
  const holders = await committedHolders(ctx.db, sequenceId, [...new Set(digests)]);
  const ids = [...new Set(holders.map((h) => h.artifact_id))];
  const allowed = new Set<number>();
  await Promise.all(
    ids.map(async (id) => {
      const artifact = await loadArtifact(ctx, id);
      if (artifact && artifact.state === 'COMMITTED' && (await artifactAccess(ctx, artifact)).download) allowed.add(id);
    }),
  );
  const byDigest = new Map<string, StoredContent[]>();
  for (const h of holders) {
    if (allowed.has(h.artifact_id)) byDigest.set(h.digest, [...(byDigest.get(h.digest) ?? []), { sha256: h.sha256, size: h.size }]);
  }
  return (digest, size) => byDigest.get(digest)?.find((c) => size === null || c.size === size) ?? null;
}

/**
 * Before a commit: files that got no upload take content the same version already holds for the same
 * MD5 and size, then content the committer may reuse under the rule above. What is left must be uploaded.
 */
export async function bindReusableFiles(ctx: Context, artifact: Artifact): Promise<void> {
  await bindWithinVersion(ctx.db, artifact.id);
  const unbound = await unboundFiles(ctx.db, artifact.id);
  if (unbound.length === 0) return;
  const reusable = await reusableContent(
    ctx,
    artifact.sequence_id,
    unbound.map((f) => f.digest),
  );
  const bindings = unbound.flatMap((f) => {
    const content = reusable(f.digest, Number(f.size));
    return content ? [{ id: f.id, ...content }] : [];
  });
  await bindFiles(ctx.db, artifact.id, bindings);
}
