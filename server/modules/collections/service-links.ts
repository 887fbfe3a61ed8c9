import type { Collection, Membership, Project } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { validateAliasUse } from '../../graphql/names.js';
import { recordEvent } from '../events/repository.js';
import { canSeeProject, requireRegistryRole } from '../registries/access.js';
import { findProjectWithEntityByName } from '../registries/repository.js';
import { findCollection, findMembership, membershipsByIds } from './repository.js';
import { restoreLatest } from './repository-versions.js';
import { aliasNamesOfMembership, deleteAlias, deleteMembership, lockCollection, membershipOfArtifact } from './repository-writes.js';
import { MAX_ALIASES, linkTarget, putAlias, recordAliasesGone, requireProtectedRole, requireViewer } from './service.js';

// Unlinking versions and putting aliases on versions by hand (linking is `linkVersion`, in service.ts).
// Each answers with the ids of the versions it changed, for clients that keep a cache.

/** Versions by id, in the order given (an id given twice, once); ids of versions gone are left out. */
export async function versionsByIds(ctx: Context, ids: readonly number[]): Promise<Membership[]> {
  const unique = [...new Set(ids)];
  const rows = await membershipsByIds(ctx.db, unique);
  return unique.flatMap((id) => rows.filter((m) => m.id === id));
}

/**
 * Removes a linked version from a registry collection (the source version stays); its aliases go
 * with it, except `latest`, which moves to the newest version that remains. Returns that version's id.
 */
export async function unlinkVersion(ctx: Context, input: { artifactID: string; artifactPortfolioID: string }): Promise<number[]> {
  const viewer = requireViewer(ctx);
  const artifactId = decodeId(input.artifactID, 'Artifact');
  const target = await linkTarget(ctx, { artifactPortfolioID: input.artifactPortfolioID });
  const role = await requireRegistryRole(ctx, target.project, target.entity, 'member', 'unlink versions', target.notFound);
  const collection = target.collection;
  if (!collection) throw userError('NOT_FOUND', 'The registry collection was not found.');
  const notLinked = () => userError('NOT_FOUND', `This version is not linked in collection "${collection.name}".`);
  const membership = await membershipOfArtifact(ctx.db, collection.id, artifactId);
  if (!membership) throw notLinked();
  const aliases = await aliasNamesOfMembership(ctx.db, membership.id);
  await requireProtectedRole(ctx, target.project.id, target.project.name, role, aliases, 'remove');
  await ctx.db.transaction().execute(async (trx) => {
    await lockCollection(trx, collection.id);
    // Another unlink may have won the race while we checked.
    if (!(await membershipOfArtifact(trx, collection.id, artifactId))) throw notLinked();
    const held = await aliasNamesOfMembership(trx, membership.id);
    await deleteMembership(trx, membership.id);
    const newest = await restoreLatest(trx, collection.id);
    const scope = { actorId: viewer.id, project: target.project, collection };
    await recordEvent(trx, {
      ...scope,
      action: 'version.unlinked',
      version: membership,
      before: { versionIndex: membership.version_index, artifactId },
    });
    await recordAliasesGone(trx, scope, membership, held, newest);
  });
  // `latest` may have moved to the newest version that remains.
  const latest = await findMembership(ctx.db, collection.id, 'latest');
  return latest ? [latest.id] : [];
}

/** Aliases on a version, each in a collection named by entity, project and collection name. */
export interface AliasesInput {
  artifactID: string;
  aliases: readonly { alias: string; artifactCollectionName: string; entityName: string; projectName: string }[];
}

interface AliasChange {
  project: Project;
  collection: Collection;
  membership: Membership;
  alias: string;
}

/** Resolves and checks every alias of an add/remove request before anything is written. */
async function aliasChanges(ctx: Context, input: AliasesInput, action: 'add' | 'remove'): Promise<AliasChange[]> {
  const artifactId = decodeId(input.artifactID, 'Artifact');
  if (input.aliases.length > MAX_ALIASES) throw userError('BAD_USER_INPUT', `Give at most ${MAX_ALIASES} aliases at once.`);
  const changes: AliasChange[] = [];
  for (const a of input.aliases) {
    validateAliasUse(a.alias, false);
    const found = await findProjectWithEntityByName(ctx.db, a.entityName.slice(0, 300), a.projectName.slice(0, 300));
    const visible = found && (await canSeeProject(ctx, found.project, found.entity));
    const collection =
      found && visible ? await findCollection(ctx.db, found.project.id, a.artifactCollectionName.slice(0, 300)) : undefined;
    const membership = collection && (await membershipOfArtifact(ctx.db, collection.id, artifactId));
    const notFound = () =>
      userError(
        'NOT_FOUND',
        `This version is not in ${a.entityName.slice(0, 100)}/${a.projectName.slice(0, 140)}/${a.artifactCollectionName.slice(0, 140)}.`,
      );
    if (!found || !collection || !membership) throw notFound();
    if (found.project.is_registry) {
      const role = await requireRegistryRole(ctx, found.project, found.entity, 'member', `${action} aliases`, notFound);
      await requireProtectedRole(ctx, found.project.id, found.project.name, role, [a.alias], action);
    }
    changes.push({ project: found.project, collection, membership, alias: a.alias });
  }
  // Lock collections in one order, so two requests touching the same collections cannot deadlock.
  return changes.sort((a, b) => a.collection.id - b.collection.id);
}

/** Puts aliases on a version; an alias another version holds moves here. Returns the versions changed (both sides of a move). */
export async function addAliases(ctx: Context, input: AliasesInput): Promise<number[]> {
  const viewer = requireViewer(ctx);
  const changes = await aliasChanges(ctx, input, 'add');
  const changed = changes.map((c) => c.membership.id);
  await ctx.db.transaction().execute(async (trx) => {
    for (const c of changes) {
      await lockCollection(trx, c.collection.id);
      const scope = { actorId: viewer.id, project: c.project, collection: c.collection };
      const movedFrom = await putAlias(trx, scope, c.membership, c.alias);
      if (movedFrom !== null) changed.push(movedFrom);
    }
  });
  return changed;
}

/** Removes aliases from a version. Returns the versions named. */
export async function removeAliases(ctx: Context, input: AliasesInput): Promise<number[]> {
  const viewer = requireViewer(ctx);
  const changes = await aliasChanges(ctx, input, 'remove');
  await ctx.db.transaction().execute(async (trx) => {
    for (const c of changes) {
      await lockCollection(trx, c.collection.id);
      if (await deleteAlias(trx, c.collection.id, c.membership.id, c.alias)) {
        await recordEvent(trx, {
          action: 'alias.removed',
          actorId: viewer.id,
          project: c.project,
          collection: c.collection,
          version: c.membership,
          before: { alias: c.alias, versionIndex: c.membership.version_index },
        });
      }
    }
  });
  return changes.map((c) => c.membership.id);
}
