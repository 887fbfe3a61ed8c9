import type { Collection, Membership, Project } from '../../db/tables.js';
import { builder, type Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { MembershipRef } from '../../graphql/refs.js';
import { ArtifactAliasInput } from './inputs.js';
import { canSeeProject, requireRegistryRole } from '../registries/access.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { findProjectWithEntityByName } from '../registries/repository.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { findCollection, findMembership, membershipsByIds } from './repository.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { restoreLatest } from './repository-versions.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { recordEvent } from '../events/repository.js';
// eslint-disable-next-line import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write
import { aliasNamesOfMembership, deleteAlias, deleteMembership, lockCollection, membershipOfArtifact } from './repository-writes.js';
import { isVersionName } from '../../../shared/names.js';
import { validateAlias } from '../../graphql/names.js';
import { linkTarget, linkVersion, requireProtectedRole, requireViewer } from './service.js';
import { MAX_ALIASES } from './service.js';
import { putAlias, recordAliasesGone } from './service.js';

const LinkArtifactInput = builder.inputType('LinkArtifactInput', {
  fields: (t) => ({
    aliases: t.field({ type: [ArtifactAliasInput] }),
    artifactID: t.id(),
    artifactPortfolioID: t.id(),
    artifactPortfolioName: t.string({ description: "The registry collection; created with the version's type when missing." }),
    clientID: t.id(),
    clientMutationId: t.string(),
    entityName: t.string({ description: 'The organization entity, for registry targets.' }),
    projectName: t.string({ description: '"wandb-registry-<name>".' }),
  }),
});

interface LinkResult {
  membership: Membership;
}

const LinkArtifactPayload = builder.objectRef<LinkResult>('LinkArtifactPayload').implement({
  fields: (t) => ({
    versionIndex: t.int({ nullable: true, resolve: (r) => r.membership.version_index }),
    artifactMembership: t.field({ type: MembershipRef, nullable: true, resolve: (r) => r.membership }),
    clientMutationId: t.string({ nullable: true, resolve: () => null }),
  }),
});

interface ChangedVersions {
  success: boolean;
  /** Ids of the linked versions whose aliases the mutation changed. */
  changed: number[];
}

/** `success` for the SDK; the changed versions for clients that keep a cache (the web app). */
const ChangedVersionsPayload = (name: string) =>
  builder.objectRef<ChangedVersions>(name).implement({
    fields: (t) => ({
      success: t.exposeBoolean('success'),
      clientMutationId: t.string({ nullable: true, resolve: () => null }),
      artifactMemberships: t.field({
        type: [MembershipRef],
        description: 'The versions whose aliases changed (an alias that moved names both), as they are now.',
        resolve: async (p, _args, ctx) => {
          const ids = [...new Set(p.changed)];
          const rows = await membershipsByIds(ctx.db, ids);
          return ids.flatMap((id) => rows.filter((m) => m.id === id));
        },
      }),
    }),
  });

builder.mutationField('linkArtifact', (t) =>
  t.field({
    type: LinkArtifactPayload,
    nullable: true,
    description:
      'Links a committed source version into a registry collection (created when missing). Linking the same version again returns its linked version and adds any new aliases.',
    args: { input: t.arg({ type: LinkArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ membership: await linkVersion(ctx, requireViewer(ctx), input) }),
  }),
);

const UnlinkArtifactInput = builder.inputType('UnlinkArtifactInput', {
  fields: (t) => ({
    artifactID: t.id({ required: true }),
    artifactPortfolioID: t.id({ required: true }),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('unlinkArtifact', (t) =>
  t.field({
    type: ChangedVersionsPayload('UnlinkArtifactPayload'),
    nullable: true,
    description: 'Removes a linked version from a registry collection; the source version stays.',
    args: { input: t.arg({ type: UnlinkArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const artifactId = decodeId(input.artifactID, 'Artifact');
      const target = await linkTarget(ctx, { artifactPortfolioID: input.artifactPortfolioID });
      const role = await requireRegistryRole(ctx, target.project, target.entity, 'member', 'unlink versions', target.notFound);
      const collection = target.collection;
      if (!collection) throw userError('NOT_FOUND', 'The registry collection was not found.');
      const membership = await membershipOfArtifact(ctx.db, collection.id, artifactId);
      if (!membership) throw userError('NOT_FOUND', `This version is not linked in collection "${collection.name}".`);
      await requireProtectedRole(
        ctx,
        target.project.id,
        target.project.name,
        role,
        await aliasNamesOfMembership(ctx.db, membership.id),
        'remove',
      );
      await ctx.db.transaction().execute(async (trx) => {
        await lockCollection(trx, collection.id);
        // Another unlink may have won the race while we checked.
        if (!(await membershipOfArtifact(trx, collection.id, artifactId))) {
          throw userError('NOT_FOUND', `This version is not linked in collection "${collection.name}".`);
        }
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
      return { success: true, changed: latest ? [latest.id] : [] };
    },
  }),
);

const ArtifactCollectionAliasInput = builder.inputType('ArtifactCollectionAliasInput', {
  fields: (t) => ({
    alias: t.string({ required: true }),
    artifactCollectionName: t.string({ required: true }),
    entityName: t.string({ required: true }),
    projectName: t.string({ required: true }),
  }),
});

const AliasesInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({
      aliases: t.field({ type: [ArtifactCollectionAliasInput], required: true }),
      artifactID: t.id({ required: true }),
      clientMutationId: t.string(),
    }),
  });

interface AliasChange {
  project: Project;
  collection: Collection;
  membership: Membership;
  alias: string;
}

/** Resolves and checks every alias of an add/delete request before anything is written. */
async function aliasChanges(
  ctx: Context,
  input: {
    artifactID: string;
    aliases: readonly { alias: string; artifactCollectionName: string; entityName: string; projectName: string }[];
  },
  action: 'add' | 'remove',
): Promise<AliasChange[]> {
  const artifactId = decodeId(input.artifactID, 'Artifact');
  if (input.aliases.length > MAX_ALIASES) throw userError('BAD_USER_INPUT', `Give at most ${MAX_ALIASES} aliases at once.`);
  const changes: AliasChange[] = [];
  for (const a of input.aliases) {
    validateAlias(a.alias);
    if (a.alias === 'latest') {
      throw userError('BAD_USER_INPUT', '"latest" always marks the newest version; it cannot be added or removed by hand.');
    }
    if (isVersionName(a.alias))
      throw userError('BAD_USER_INPUT', `Alias "${a.alias}" looks like a version number (vN); choose another name.`);
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

builder.mutationField('addAliases', (t) =>
  t.field({
    type: ChangedVersionsPayload('AddAliasesPayload'),
    nullable: true,
    description: 'Puts aliases on a version in the named collections; an alias another version holds moves here.',
    args: { input: t.arg({ type: AliasesInput('AddAliasesInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => {
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
      return { success: true, changed };
    },
  }),
);

builder.mutationField('deleteAliases', (t) =>
  t.field({
    type: ChangedVersionsPayload('DeleteAliasesPayload'),
    nullable: true,
    description: 'Removes aliases from a version in the named collections.',
    args: { input: t.arg({ type: AliasesInput('DeleteAliasesInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => {
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
      return { success: true, changed: changes.map((c) => c.membership.id) };
    },
  }),
);
