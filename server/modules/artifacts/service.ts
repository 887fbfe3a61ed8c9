// The reads of logged versions: by id, client id or name, who logged them, which runs use them,
// their aliases, a run's versions. Files and manifests: service-files.ts; changes: service-versions.ts.
import type { Alias, Artifact, Collection, Project, Run, User } from '../../db/tables.js';
import type { ArtifactTypeShape } from '../../graphql/refs.js';
import type { Context, Page } from '../../graphql/builder.js';
import { byKey, contextLoader } from '../../graphql/context-loaders.js';
import { decodeCursor, encodeCursor, pageSize } from '../../graphql/cursor.js';
import { findUserById } from '../auth/repository.js';
import { canSeeProject, viewerRegistryRole } from '../registries/access.js';
import { loadProject, registryTypesLoader } from '../registries/loaders.js';
import { loadEntity } from '../organization/loaders.js';
import { type VersionLink, projectTypeNamed } from '../collections/repository-artifacts.js';
import { artifactAliasesLoader, artifactLinksLoader, loadArtifact, loadCollection } from '../collections/loaders.js';
import { artifactAccess } from './access.js';
import { findArtifactByClientId, findArtifactByName } from './repository.js';
import { countRunArtifacts, findRun, runArtifacts, runsByIds, runsUsing } from './repository-runs.js';

/** A version the viewer can read, by id; deleted ones and those the viewer cannot read are null. */
export async function readableArtifact(ctx: Context, id: number): Promise<Artifact | null> {
  const artifact = await loadArtifact(ctx, id);
  return artifact && artifact.state !== 'DELETED' && (await artifactAccess(ctx, artifact)).read ? artifact : null;
}

/** The id of a version the SDK created with this client id, when the viewer can read it. */
export async function artifactIdOfClientId(ctx: Context, clientId: string): Promise<number | null> {
  if (clientId.length > 128) return null;
  const artifact = await findArtifactByClientId(ctx.db, clientId);
  return artifact && (await artifactAccess(ctx, artifact)).read ? artifact.id : null;
}

/**
 * A version of a project by "collection:vN", "collection:alias" or "collection" (its latest). In a
 * registry, the source version the linked version points to.
 */
export async function artifactByName(ctx: Context, project: Project, name: string): Promise<Artifact | null> {
  if (name.length > 300) return null;
  const at = name.lastIndexOf(':');
  const [collection, version] = at > 0 ? [name.slice(0, at), name.slice(at + 1)] : [name, 'latest'];
  return (await findArtifactByName(ctx.db, project.id, collection, version || 'latest')) ?? null;
}

/** The version holding `latest` in a sequence. */
export async function latestArtifactOf(ctx: Context, sequence: Collection): Promise<Artifact | null> {
  return (await findArtifactByName(ctx.db, sequence.project_id, sequence.name, 'latest')) ?? null;
}

/** A team project's run by name; registries have none. */
export async function runOfProject(ctx: Context, project: Project, name: string): Promise<Run | null> {
  return name.length > 256 || project.is_registry ? null : ((await findRun(ctx.db, project.id, name)) ?? null);
}

/** An artifact type of a project: a registry's allowed type, or one a team project's collections use. */
export async function artifactTypeOf(ctx: Context, project: Project, name: string): Promise<ArtifactTypeShape | null> {
  if (name.length > 128) return null;
  if (project.is_registry) {
    const types = await registryTypesLoader(ctx).load(project.id);
    const row = types.find((ty) => ty.type_name === name);
    return row ? { projectId: project.id, name, createdAt: row.created_at } : null;
  }
  const found = await projectTypeNamed(ctx.db, project.id, name);
  return found ? { projectId: project.id, ...found } : null;
}

// ---- runs

const runLoader = (ctx: Context) =>
  contextLoader(ctx, 'artifacts:run', async (ids: readonly number[]) => {
    const rows = await runsByIds(ctx.db, ids);
    return byKey(ids, rows, (r) => r.id).map((r) => r ?? null);
  });

/** Runs whose project the viewer can see. */
async function visibleRuns(ctx: Context, runs: Run[]): Promise<Run[]> {
  const shown = await Promise.all(
    runs.map(async (run) => {
      const project = await loadProject(ctx, run.project_id);
      return canSeeProject(ctx, project, await loadEntity(ctx, project.entity_id));
    }),
  );
  return runs.filter((_run, i) => shown[i]);
}

/** Who logged a version: its run when known and visible, otherwise the user who created it. */
export async function artifactCreator(ctx: Context, artifact: Artifact): Promise<Run | User | null> {
  if (artifact.run_id !== null) {
    const run = await runLoader(ctx).load(artifact.run_id);
    if (run && (await visibleRuns(ctx, [run])).length > 0) return run;
  }
  return artifact.created_by === null ? null : ((await findUserById(ctx.db, artifact.created_by)) ?? null);
}

/** The runs that used a version as an input, those the viewer can see. */
export async function runsUsingArtifact(ctx: Context, artifactId: number): Promise<Run[]> {
  return visibleRuns(ctx, await runsUsing(ctx.db, artifactId));
}

/** A page of a run's committed output (or input) versions by id, those the viewer can read. */
export async function runArtifactPage(
  ctx: Context,
  runId: number,
  direction: 'output' | 'input',
  args: { after?: string | null; first?: number | null },
): Promise<Page<Artifact>> {
  const first = pageSize(args.first);
  const rows = await runArtifacts(ctx.db, { runId, direction, afterId: decodeCursor(args.after)?.id, first });
  // Inputs may come from other projects: only those the viewer can read are shown.
  const candidates = rows.slice(0, first);
  const readable = await Promise.all(candidates.map(async (row) => (await artifactAccess(ctx, row)).read));
  const page = candidates.filter((_row, i) => readable[i]);
  return {
    hasNextPage: rows.length > first,
    edges: page.map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.id }) })),
    totalCount: () => countRunArtifacts(ctx.db, runId, direction),
  };
}

// ---- aliases

/** A link's `vN` in its registry collection, shown as an alias of that collection (never stored as one). */
function versionAlias(link: VersionLink): Alias {
  return {
    // Negative: no aliases row has it, and ArtifactAlias.id tells the two apart.
    id: -link.membershipId,
    collection_id: link.collectionId,
    membership_id: link.membershipId,
    alias: `v${link.versionIndex}`,
    created_at: link.createdAt,
    linked_at: link.createdAt,
  };
}

/**
 * A version's aliases in every collection it is in, and its `vN` in each registry collection it is
 * linked into, except those in registries the viewer cannot see (they would leak that those exist).
 */
export async function visibleAliases(ctx: Context, artifactId: number): Promise<Alias[]> {
  const [named, links] = await Promise.all([artifactAliasesLoader(ctx).load(artifactId), artifactLinksLoader(ctx).load(artifactId)]);
  const aliases = [...named, ...links.map(versionAlias)];
  // All at once, so the loaders batch them: a constant number of statements per page.
  const shown = await Promise.all(
    aliases.map(async (alias) => {
      const project = await loadProject(ctx, (await loadCollection(ctx, alias.collection_id)).project_id);
      return !project.is_registry || (await viewerRegistryRole(ctx, project, await loadEntity(ctx, project.entity_id))) !== null;
    }),
  );
  return aliases.filter((_alias, i) => shown[i]);
}
