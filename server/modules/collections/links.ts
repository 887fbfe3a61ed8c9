import type { Transaction } from 'kysely';
import type { Collection, Database, Membership, Project, User } from '../../db/tables.js';
import { builder, type Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { MembershipRef } from '../../graphql/refs.js';
import { ArtifactAliasInput } from '../artifacts/inputs.js';
import { canSeeProject, requireRegistryRole, type EffectiveRole } from '../registries/access.js';
import { isVersionName, validateAlias, validateName } from './names.js';
import { collectionsByIds } from '../artifacts/repository.js';
import { findProjectWithEntityById, findProjectWithEntityByName } from '../registries/repository.js';
import { findCollection, findMembership, membershipsByIds } from './repository.js';
import { COLLECTION_ID_TYPES } from './schema.js';
import { appendVersion, restoreLatest, setAlias } from './versions.js';
import { recordEvent } from '../events/repository.js';
import {
  aliasNamesOfMembership,
  deleteAlias,
  deleteMembership,
  ensurePortfolio,
  findSourceVersion,
  lockCollection,
  membershipOfArtifact,
  protectedAliases,
  registryTypeNames,
  versionIndexOfMembership,
  type SourceVersion,
} from './write-repository.js';

const REGISTRY_PREFIX = 'wandb-registry-';
const MAX_ALIASES = 100;

export function requireViewer(ctx: Context): User {
  if (!ctx.viewer) throw userError('UNAUTHENTICATED', 'Sign in or send an API key to change the registry.');
  return ctx.viewer;
}

function registryName(projectName: string): string {
  return projectName.startsWith(REGISTRY_PREFIX) ? projectName.slice(REGISTRY_PREFIX.length) : projectName;
}

/** A source version the viewer can read; anything else is NOT_FOUND (an invisible project does not exist). */
async function readableSource(
  ctx: Context,
  artifactId: string | null | undefined,
  clientId: string | null | undefined,
): Promise<SourceVersion> {
  let source: SourceVersion | undefined;
  if (artifactId) source = await findSourceVersion(ctx.db, { id: decodeId(artifactId, 'Artifact') });
  else if (clientId) source = clientId.length <= 200 ? await findSourceVersion(ctx.db, { clientId }) : undefined;
  else throw userError('BAD_USER_INPUT', 'Give the version to link as artifactID (or clientID).');
  if (!source || !(await canSeeProject(ctx, source.project, source.entity))) {
    throw userError('NOT_FOUND', `Artifact version ${artifactId ?? clientId ?? ''} was not found.`);
  }
  return source;
}

/** Validated, de-duplicated aliases; `latest` is implied (it always marks the newest version). */
function cleanAliases(aliases: readonly string[]): string[] {
  if (aliases.length > MAX_ALIASES) throw userError('BAD_USER_INPUT', `Give at most ${MAX_ALIASES} aliases at once.`);
  const result = new Set<string>();
  for (const alias of aliases) {
    validateAlias(alias);
    if (isVersionName(alias)) {
      throw userError('BAD_USER_INPUT', `Alias "${alias}" looks like a version number (vN); choose another name.`);
    }
    result.add(alias);
  }
  return [...result];
}

async function requireProtectedRole(
  ctx: Context,
  projectId: number,
  projectName: string,
  role: EffectiveRole,
  aliases: readonly string[],
  action: string,
) {
  if (role.role === 'admin' || aliases.length === 0) return;
  const protectedSet = await protectedAliases(ctx.db, projectId);
  const hit = aliases.find((a) => protectedSet.has(a));
  if (hit) {
    throw userError(
      'FORBIDDEN',
      `Alias "${hit}" is protected in registry "${registryName(projectName)}": only its admins may ${action} it. Ask a registry admin, or use another alias.`,
    );
  }
}

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

/**
 * The target registry and collection of a link: by portfolio id, or by entity/project/collection name.
 * `notFound` is what a target that does not exist gets; one the viewer may not see must get the same.
 */
async function linkTarget(
  ctx: Context,
  input: {
    artifactPortfolioID?: string | null;
    entityName?: string | null;
    projectName?: string | null;
    artifactPortfolioName?: string | null;
  },
) {
  if (input.artifactPortfolioID) {
    const id = decodeId(input.artifactPortfolioID, ...COLLECTION_ID_TYPES);
    const [row] = await collectionsByIds(ctx.db, [id]);
    const found = row && (await findProjectWithEntityById(ctx.db, row.project_id));
    const notFound = () => userError('NOT_FOUND', 'The registry collection was not found.');
    if (!row || !found || row.kind !== 'PORTFOLIO') throw notFound();
    return { ...found, name: row.name, collection: row as Collection | undefined, notFound };
  }
  if (!input.entityName || !input.projectName || !input.artifactPortfolioName) {
    throw userError(
      'BAD_USER_INPUT',
      'Give the target as entityName (the organization), projectName ("wandb-registry-<name>") and artifactPortfolioName.',
    );
  }
  const { entityName, projectName } = input;
  const name = validateName('Collection', input.artifactPortfolioName);
  const found = await findProjectWithEntityByName(ctx.db, entityName.slice(0, 300), projectName.slice(0, 300));
  const notFound = () =>
    userError('NOT_FOUND', `Registry "${registryName(projectName.slice(0, 140))}" was not found in "${entityName.slice(0, 140)}".`);
  if (!found || !found.project.is_registry) throw notFound();
  return { ...found, name, collection: undefined as Collection | undefined, notFound };
}

builder.mutationField('linkArtifact', (t) =>
  t.field({
    type: LinkArtifactPayload,
    nullable: true,
    description:
      'Links a committed source version into a registry collection (created when missing). Linking the same version again returns its linked version and adds any new aliases.',
    args: { input: t.arg({ type: LinkArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const target = await linkTarget(ctx, input);
      const role = await requireRegistryRole(ctx, target.project, target.entity, 'member', 'link versions', target.notFound);
      const source = await readableSource(ctx, input.artifactID, input.clientID);
      if (
        source.entity.organization_id !== target.entity.organization_id ||
        source.project.is_registry ||
        source.entity.kind === 'ORGANIZATION'
      ) {
        throw userError('BAD_USER_INPUT', 'Only versions logged in team projects of this organization can be linked.');
      }
      if (source.artifact.state !== 'COMMITTED' || source.artifact.version_index === null) {
        throw userError('BAD_USER_INPUT', 'This version is not committed yet: finish logging it, then link it.');
      }
      for (const a of input.aliases ?? []) {
        if (a.artifactCollectionName !== target.name) {
          throw userError(
            'BAD_USER_INPUT',
            `Alias "${a.alias.slice(0, 140)}" names collection "${a.artifactCollectionName.slice(0, 140)}"; it must name the target collection "${target.name}".`,
          );
        }
      }
      const aliases = cleanAliases((input.aliases ?? []).map((a) => a.alias)).filter((a) => a !== 'latest');
      const typeName = source.sequence.type_name;
      const existing = await findCollection(ctx.db, target.project.id, target.name);
      if (existing && existing.kind !== 'PORTFOLIO') throw userError('BAD_USER_INPUT', `"${target.name}" is not a registry collection.`);
      if (existing && existing.type_name !== typeName) {
        throw userError(
          'BAD_USER_INPUT',
          `Collection "${target.name}" holds "${existing.type_name}" versions; this version is a "${typeName}". Link it into a "${typeName}" collection.`,
        );
      }
      if (!target.project.allow_all_types) {
        const allowed = await registryTypeNames(ctx.db, target.project.id);
        if (!allowed.includes(typeName)) {
          throw userError(
            'BAD_USER_INPUT',
            `Registry "${registryName(target.project.name)}" accepts ${allowed.length ? allowed.map((a) => `"${a}"`).join(', ') : 'no types yet'}; this version is a "${typeName}".`,
          );
        }
      }
      await requireProtectedRole(ctx, target.project.id, target.project.name, role, aliases, 'add');

      const membership = await ctx.db.transaction().execute(async (trx) => {
        const { collection, created } = await ensurePortfolio(trx, {
          projectId: target.project.id,
          name: target.name,
          typeName,
          userId: viewer.id,
        });
        // Another link may have created it with another type between our check and now.
        if (collection.type_name !== typeName) {
          throw userError(
            'BAD_USER_INPUT',
            `Collection "${target.name}" holds "${collection.type_name}" versions; this version is a "${typeName}".`,
          );
        }
        const scope = { actorId: viewer.id, project: target.project, collection };
        if (created) await recordEvent(trx, { ...scope, action: 'collection.created', after: { name: collection.name, type: typeName } });
        const {
          membership: m,
          created: linked,
          latestFrom,
        } = await appendVersion(trx, {
          collectionId: collection.id,
          artifactId: source.artifact.id,
          userId: viewer.id,
        });
        if (linked) {
          await recordEvent(trx, {
            ...scope,
            action: 'version.linked',
            version: m,
            after: {
              versionIndex: m.version_index,
              artifactId: source.artifact.id,
              source: `${source.entity.name}/${source.project.name}/${source.sequence.name}:v${source.artifact.version_index}`,
            },
          });
          await recordAliasPut(trx, scope, m, 'latest', latestFrom);
        }
        for (const alias of aliases) await putAlias(trx, scope, m, alias);
        return m;
      });
      return { membership };
    },
  }),
);

type Trx = Transaction<Database>;

/** Who changes which collection: what every event of a change in it shares. */
export interface EventScope {
  actorId: number | null;
  project: { id: number; name: string };
  collection: { id: number; name: string };
}

/** Records an alias put on a version: added, or moved from the version `movedFrom` held it. */
export async function recordAliasPut(
  trx: Trx,
  scope: EventScope,
  membership: Membership,
  alias: string,
  movedFrom: number | null,
): Promise<void> {
  const after = { alias, versionIndex: membership.version_index };
  if (movedFrom === null) {
    await recordEvent(trx, { ...scope, action: 'alias.added', version: membership, after });
    return;
  }
  const before = { alias, versionIndex: await versionIndexOfMembership(trx, movedFrom) };
  await recordEvent(trx, { ...scope, action: 'alias.moved', version: membership, before, after });
}

/** Sets an alias and records whether it was added or moved from another version (whose id it returns). */
export async function putAlias(trx: Trx, scope: EventScope, membership: Membership, alias: string): Promise<number | null> {
  const { movedFrom, changed } = await setAlias(trx, { collectionId: scope.collection.id, membershipId: membership.id, alias });
  if (!changed) return null;
  await recordAliasPut(trx, scope, membership, alias, movedFrom);
  return movedFrom;
}

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

/**
 * Records the aliases a version held when it left its collection: they went with it, except `latest`,
 * which moved to `newest`, the newest version that remains (removed too when none remains).
 */
export async function recordAliasesGone(
  trx: Trx,
  scope: EventScope,
  gone: { id: number; version_index: number },
  held: readonly string[],
  newest: { id: number; version_index: number } | undefined,
): Promise<void> {
  for (const alias of [...held].sort()) {
    const before = { alias, versionIndex: gone.version_index };
    if (alias === 'latest' && newest) {
      await recordEvent(trx, {
        ...scope,
        action: 'alias.moved',
        version: newest,
        before,
        after: { alias, versionIndex: newest.version_index },
      });
    } else {
      await recordEvent(trx, { ...scope, action: 'alias.removed', version: gone, before });
    }
  }
}

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
