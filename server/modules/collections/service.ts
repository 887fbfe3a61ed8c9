import type { Transaction } from 'kysely';
import type { GraphQLError } from 'graphql';
import type { Event } from '../../db/tables.js';
import type { Context, Page } from '../../graphql/builder.js';
import { decodeCursor, encodeCursor, pageSize } from '../../graphql/cursor.js';
import { EVENT_ACTIONS, type EventAction, type EventFilter, listEvents } from '../events/repository.js';
import { COLLECTION_ID_TYPES } from './inputs.js';
import { type EffectiveRole, canSeeProject, requireRegistryRole } from '../registries/access.js';
import { type EventInput, recordEvents } from '../events/repository.js';
import {
  type LinkRegistry,
  appendLink,
  findLinkCollection,
  findLinkRegistry,
  insertPortfolio,
  lockCollectionByName,
  putAliases,
} from './repository-links.js';
import { type Membership, type User } from '../../db/tables.js';
import { type SourceVersion, findSourceVersion, protectedAliases } from './repository-writes.js';
import { decodeId } from '../../graphql/ids.js';
import { forgetArtifactRows, membershipAliasesLoader, prime } from './loaders.js';
import { registryName } from '../../../shared/names.js';
import { userError } from '../../graphql/errors.js';
import { userLoader } from '../auth/loaders.js';
import { validateAliasUse, validateName, validateNewCollectionName } from '../../graphql/names.js';
import { type Database } from '../../db/tables.js';
import { recordEvent } from '../events/repository.js';
import { setAlias } from './repository-versions.js';
import { versionIndexOfMembership } from './repository-writes.js';

/** The history's filters as the API takes them: action names and a username. */
export interface EventFilterArgs {
  actions?: readonly string[] | null;
  actor?: string | null;
}

const MAX_ACTOR_CHARS = 256;

/** Checks the filter: an unknown action is a mistake worth naming; an actor is any text (no such user: no events). */
function eventFilter(args: EventFilterArgs): EventFilter {
  const filter: EventFilter = {};
  if (args.actions?.length) {
    const unknown = args.actions.filter((a) => !(EVENT_ACTIONS as readonly string[]).includes(a));
    if (unknown.length > 0) {
      const named = unknown.slice(0, 3).map((a) => `"${a.slice(0, 80)}"`);
      throw userError('BAD_USER_INPUT', `Unknown action ${named.join(', ')}. The actions are: ${EVENT_ACTIONS.join(', ')}.`);
    }
    filter.actions = [...new Set(args.actions)] as EventAction[];
  }
  const actor = args.actor?.trim();
  if (actor) {
    if (actor.length > MAX_ACTOR_CHARS) throw userError('BAD_USER_INPUT', `A username has at most ${MAX_ACTOR_CHARS} characters.`);
    filter.actorUsername = actor;
  }
  return filter;
}

/** A page of a registry's or a collection's action history, newest first, narrowed to some actions or one user. */
export async function eventPage(
  ctx: Context,
  of: { collectionId: number } | { projectId: number },
  args: { after?: string | null; first?: number | null } & EventFilterArgs,
): Promise<Page<Event>> {
  const first = pageSize(args.first);
  const filter = eventFilter(args);
  const rows = await listEvents(ctx.db, of, decodeCursor(args.after)?.id, first + 1, filter);
  return {
    hasNextPage: rows.length > first,
    edges: rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor({ v: null, id: node.id }) })),
  };
}

export const MAX_ALIASES = 100;

export function requireViewer(ctx: Context): User {
  if (!ctx.viewer) throw userError('UNAUTHENTICATED', 'Sign in or send an API key to change the registry.');
  return ctx.viewer;
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
export function cleanAliases(aliases: readonly string[]): string[] {
  if (aliases.length > MAX_ALIASES) throw userError('BAD_USER_INPUT', `Give at most ${MAX_ALIASES} aliases at once.`);
  const result = new Set<string>();
  for (const alias of aliases) {
    validateAliasUse(alias, true);
    result.add(alias);
  }
  return [...result];
}

/** Protected aliases of a registry change only by its admins; `known` saves the read when the caller has them. */
export async function requireProtectedRole(
  ctx: Context,
  projectId: number,
  projectName: string,
  role: EffectiveRole,
  aliases: readonly string[],
  action: string,
  known?: ReadonlySet<string>,
) {
  if (role.role === 'admin' || aliases.length === 0) return;
  const protectedSet = known ?? (await protectedAliases(ctx.db, projectId));
  const hit = aliases.find((a) => protectedSet.has(a));
  if (hit) {
    throw userError(
      'FORBIDDEN',
      `Alias "${hit}" is protected in registry "${registryName(projectName)}": only its admins may ${action} it. Ask a registry admin, or use another alias.`,
    );
  }
}

export interface LinkTarget extends LinkRegistry {
  /** The collection's name (given, or the one of the collection given by id). */
  name: string;
  notFound: () => GraphQLError;
}

/**
 * The target registry and collection of a link, with the registry's types and protected aliases (one
 * statement): by portfolio id, or by entity/project/collection name. `notFound` is what a target that
 * does not exist gets; one the viewer may not see must get the same.
 */
export async function linkTarget(
  ctx: Context,
  input: {
    artifactPortfolioID?: string | null;
    entityName?: string | null;
    projectName?: string | null;
    artifactPortfolioName?: string | null;
  },
): Promise<LinkTarget> {
  if (input.artifactPortfolioID) {
    const id = decodeId(input.artifactPortfolioID, ...COLLECTION_ID_TYPES);
    const found = await findLinkCollection(ctx.db, id);
    const notFound = () => userError('NOT_FOUND', 'The registry collection was not found.');
    if (!found?.collection || found.collection.kind !== 'PORTFOLIO') throw notFound();
    return { ...found, name: found.collection.name, notFound };
  }
  if (!input.entityName || !input.projectName || !input.artifactPortfolioName) {
    throw userError(
      'BAD_USER_INPUT',
      'Give the target as entityName (the organization), projectName ("wandb-registry-<name>") and artifactPortfolioName.',
    );
  }
  const { entityName, projectName } = input;
  const name = validateName('Collection', input.artifactPortfolioName);
  const found = await findLinkRegistry(ctx.db, entityName.slice(0, 300), projectName.slice(0, 300));
  const notFound = () =>
    userError('NOT_FOUND', `Registry "${registryName(projectName.slice(0, 140))}" was not found in "${entityName.slice(0, 140)}".`);
  if (!found || !found.project.is_registry) throw notFound();
  return { ...found, name, notFound };
}

export interface LinkInput {
  artifactID?: string | null;
  clientID?: string | null;
  artifactPortfolioID?: string | null;
  entityName?: string | null;
  projectName?: string | null;
  artifactPortfolioName?: string | null;
  aliases?: readonly { alias: string; artifactCollectionName: string }[] | null;
}

function wrongType(name: string, held: string, typeName: string, hint: boolean) {
  return userError(
    'BAD_USER_INPUT',
    `Collection "${name}" holds "${held}" versions; this version is a "${typeName}".${hint ? ` Link it into a "${typeName}" collection.` : ''}`,
  );
}

/**
 * Links a committed source version into a registry collection (created when missing), with aliases;
 * linking the same version again returns its linked version and adds any new aliases. The one link
 * rule for every client (the SDK's LinkArtifact, the web app's link sheet and dialog): each row is
 * read once, the change and its events are one transaction, and what the answer shows is kept in the
 * request's loaders.
 */
export async function linkVersion(ctx: Context, viewer: User, input: LinkInput): Promise<Membership> {
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
  const known = target.collection;
  if (known && known.type_name !== typeName) throw wrongType(target.name, known.type_name, typeName, true);
  if (!target.project.allow_all_types && !target.types.includes(typeName)) {
    const allowed = target.types;
    throw userError(
      'BAD_USER_INPUT',
      `Registry "${registryName(target.project.name)}" accepts ${allowed.length ? allowed.map((a) => `"${a}"`).join(', ') : 'no types yet'}; this version is a "${typeName}".`,
    );
  }
  await requireProtectedRole(ctx, target.project.id, target.project.name, role, aliases, 'add', target.protectedAliases);

  const result = await ctx.db.transaction().execute(async (trx) => {
    let collection = await lockCollectionByName(trx, target.project.id, target.name);
    let created = false;
    if (!collection) {
      validateNewCollectionName(target.name);
      collection = await insertPortfolio(trx, { projectId: target.project.id, name: target.name, typeName, userId: viewer.id });
      created = collection !== undefined;
      // Another link created it between the two statements: it is there now, and locked by its insert.
      collection ??= await lockCollectionByName(trx, target.project.id, target.name);
      if (!collection) throw new Error(`collection "${target.name}" vanished while linking`);
    }
    if (collection.kind !== 'PORTFOLIO') throw userError('BAD_USER_INPUT', `"${target.name}" is not a registry collection.`);
    if (collection.type_name !== typeName) throw wrongType(target.name, collection.type_name, typeName, !created && !known);
    const scope = { actorId: viewer.id, project: target.project, collection };
    const events: EventInput[] = [];
    if (created) events.push({ ...scope, action: 'collection.created', after: { name: collection.name, type: typeName } });
    const now = new Date();
    const { membership, created: linked } = await appendLink(trx, collection, source.artifact.id, viewer.id, now);
    if (linked) {
      events.push({
        ...scope,
        action: 'version.linked',
        version: membership,
        after: {
          versionIndex: membership.version_index,
          artifactId: source.artifact.id,
          source: `${source.entity.name}/${source.project.name}/${source.sequence.name}:v${source.artifact.version_index}`,
        },
      });
      collection = { ...collection, next_version_index: collection.next_version_index + 1, updated_at: now };
    }
    const puts = await putAliases(trx, collection.id, membership.id, linked ? ['latest', ...aliases] : aliases);
    for (const { alias, movedFrom } of puts) events.push(aliasPutEvent(scope, membership, alias.alias, movedFrom));
    await recordEvents(trx, events);
    return { collection, membership, aliases: linked ? puts.map((p) => p.alias) : undefined };
  });

  // What the answer shows is known now: the collection (as changed), its registry, the new version and its aliases.
  prime(ctx, [{ collection: result.collection, project: target.project, entity: target.entity, membership: result.membership }]);
  if (result.aliases) {
    membershipAliasesLoader(ctx).prime(
      result.membership.id,
      [...result.aliases].sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0)),
    );
  }
  userLoader(ctx).prime(viewer.id, viewer);
  // The version's aliases and links changed: a later read of it must not use rows from before.
  forgetArtifactRows(ctx, source.artifact.id);
  return result.membership;
}

/** The event of an alias put on a version: added, or moved from the version that held it. */
export function aliasPutEvent(
  scope: EventScope,
  membership: Membership,
  alias: string,
  movedFrom: { version_index: number } | null,
): EventInput {
  const after = { alias, versionIndex: membership.version_index };
  if (movedFrom === null) return { ...scope, action: 'alias.added', version: membership, after };
  return { ...scope, action: 'alias.moved', version: membership, before: { alias, versionIndex: movedFrom.version_index }, after };
}

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
