import type { Entity, Project, ProjectAccess, RegistryRole, User } from '../../db/tables.js';
import type { DB } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { encodeId } from '../../graphql/ids.js';
import { userError } from '../../graphql/errors.js';
import { checkRegistryRole, type ViewerAccess } from './access.js';
import {
  findProject,
  findProjectWithEntityByName,
  listProjects,
  type ProjectListQuery,
  REGISTRY_ORDER_COLUMNS,
  REGISTRY_PREFIX,
  registryField,
  teamProjectField,
} from './repository.js';
import {
  addProtectedAliases,
  countOwnArtifacts,
  deleteMembers,
  deleteRegistry,
  existingTeamIds,
  existingUserIds,
  findProjectById,
  findRegistryByNameInsensitive,
  findRegistryShownAs,
  insertMembers,
  insertRegistry,
  removeProtectedAliases,
  renameRegistry,
  updateMemberRole,
  updateRegistry,
} from './repository-writes.js';

// The rules of registries (settings, names, members, protected aliases), shared by the SDK's documents
// and the web app's. `access` answers what the viewer may see and do (registries/access.ts).

export { REGISTRY_ORDER_COLUMNS, REGISTRY_PREFIX, registryField, teamProjectField };

// ---- reads

/** A project by its owner's id and its name (the caller checks it may be seen). */
export function projectOf(db: DB, entityId: number, name: string): Promise<Project | undefined> {
  return findProject(db, entityId, name);
}

/** A project and its owner by their names (the caller checks it may be seen). */
export function projectByPath(db: DB, entityName: string, projectName: string) {
  return findProjectWithEntityByName(db, entityName.slice(0, 300), projectName.slice(0, 300));
}

export type ProjectPageArgs = Pick<ProjectListQuery, 'where' | 'order' | 'after' | 'first'>;

/**
 * A page of an entity's projects: the organization entity's are its registries, restricted ones listed
 * only for their members and org admins; a team's or user's are its team projects (the caller checks
 * the viewer may list them).
 */
export function projectPage(db: DB, viewer: User, entity: Entity, args: ProjectPageArgs) {
  const registries = entity.kind === 'ORGANIZATION';
  const restrictedFor = viewer.org_role === 'admin' || !registries ? 'everyone' : viewer.id;
  return listProjects(db, { entityId: entity.id, registries, restrictedFor, ...args });
}

// ---- settings

function shortName(project: Project): string {
  return project.name.slice(REGISTRY_PREFIX.length);
}

function nameTakenError(shown: string) {
  return userError('CONFLICT', `A registry named "${shown}" already exists (names ignore letter case): choose another name.`);
}

/**
 * A name another registry holds. Names are unique, so that one exists cannot be hidden; but a registry
 * the caller cannot see is named as they typed it, never with its own spelling.
 */
async function nameTaken(access: ViewerAccess, entity: Entity, holder: Project, typed: string) {
  return nameTakenError((await access.canSee(holder, entity)) ? shortName(holder) : typed.slice(REGISTRY_PREFIX.length));
}

/**
 * Another registry that holds `name` (without case) or that people read as it (a registry "Models" beside
 * the core registry `model`, shown "Models"): the error for the caller, or undefined when it is free.
 */
async function nameClash(db: DB, access: ViewerAccess, entity: Entity, name: string, except?: number) {
  const holder = await findRegistryByNameInsensitive(db, entity.id, name);
  if (holder && holder.id !== except) return nameTaken(access, entity, holder, name);
  const typed = name.slice(REGISTRY_PREFIX.length);
  const lookalike = await findRegistryShownAs(db, entity.id, typed);
  if (lookalike && lookalike.id !== except && (await access.canSee(lookalike, entity))) {
    return userError(
      'CONFLICT',
      `A registry shown as "${lookalike.display_name || shortName(lookalike)}" already exists: choose another name.`,
    );
  }
  return undefined;
}

/** A concurrent request that took the same name first: CONFLICT rather than a database error. */
function conflictOnDuplicate(name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) throw nameTakenError(name.slice(REGISTRY_PREFIX.length));
    throw error;
  };
}

/** What `updateOnly` answers for a registry that is not there, and for one the caller cannot see. */
function registryGone(typed: string) {
  return userError('NOT_FOUND', `Registry "${typed.slice(0, 140)}" was not found: it may have been deleted.`);
}

export interface RegistryUpsert {
  /** `wandb-registry-<name>`, checked. */
  name: string;
  /** The name as the caller typed it (for messages). */
  typed: string;
  access?: ProjectAccess;
  description?: string;
  /** Types to add. */
  types: string[];
  allowAll?: boolean;
  createOnly: boolean;
  updateOnly: boolean;
}

/**
 * Creates the registry (org role member or admin; the creator becomes its admin) or updates it (registry
 * admin): visibility only goes organization → restricted, core registries stay organization-wide and
 * accept only their own types, saved types are never removed.
 */
export async function upsertRegistry(
  db: DB,
  viewer: User,
  access: ViewerAccess,
  entity: Entity,
  input: RegistryUpsert,
): Promise<{ inserted: boolean; project: Project }> {
  const { name } = input;
  const existing = input.createOnly ? await findRegistryByNameInsensitive(db, entity.id, name) : await findProject(db, entity.id, name);
  if (existing && input.createOnly) throw await nameTaken(access, entity, existing, name);
  // A settings page open while someone deletes the registry must not bring it back.
  if (!existing && input.updateOnly) throw registryGone(input.typed);
  if (existing) {
    if (!existing.is_registry) throw userError('BAD_USER_INPUT', `"${name}" is not a registry.`);
    // A registry the caller cannot see is not there to update (nor can it be created: see the clash below).
    const invisible = input.updateOnly
      ? () => registryGone(name)
      : () => userError('NOT_FOUND', `Registry "${name.slice(REGISTRY_PREFIX.length)}" was not found.`);
    checkRegistryRole(await access.roleIn(existing, entity), existing, 'admin', 'change the settings of a registry', invisible);
    if (input.access && input.access !== existing.access) {
      if (existing.access === 'RESTRICTED') {
        throw userError(
          'BAD_USER_INPUT',
          'Registry visibility can only go from organization (PRIVATE) to restricted (RESTRICTED), never back.',
        );
      }
      if (existing.is_core) throw userError('BAD_USER_INPUT', 'Core registries stay visible to the whole organization.');
    }
    if (existing.is_core && input.allowAll === true) {
      throw userError('BAD_USER_INPUT', 'Core registries accept only their own types; they cannot allow all types.');
    }
    const project = await updateRegistry(
      db,
      existing.id,
      { description: input.description, access: input.access, allowAllTypes: input.allowAll, addTypes: input.types },
      viewer.id,
    );
    return { inserted: false, project };
  }

  if (viewer.org_role === 'viewer') {
    throw userError('FORBIDDEN', 'To create a registry you need the organization member or admin role; yours is viewer.');
  }
  const clash = await nameClash(db, access, entity, name);
  if (clash) throw clash;
  const project = await insertRegistry(
    db,
    {
      entityId: entity.id,
      name,
      description: input.description ?? '',
      access: input.access ?? 'PRIVATE',
      allowAllTypes: input.allowAll ?? input.types.length === 0,
      types: input.types,
      // The creator administers the registry they made (for a restricted one, nobody else could).
      adminUserId: viewer.id,
    },
    viewer.id,
  ).catch(conflictOnDuplicate(name));
  return { inserted: true, project };
}

/** Renames a registry (registry admin); core registries keep their names, and names stay unique without case. */
export async function renameRegistryProject(
  db: DB,
  viewer: User,
  access: ViewerAccess,
  entity: Entity,
  oldName: string,
  newName: string,
): Promise<Project> {
  const project = await findProject(db, entity.id, oldName);
  const notFound = () => userError('NOT_FOUND', `Registry "${oldName.slice(0, 140)}" was not found.`);
  if (!project || !project.is_registry) throw notFound();
  checkRegistryRole(await access.roleIn(project, entity), project, 'admin', 'rename a registry', notFound);
  if (project.is_core) throw userError('BAD_USER_INPUT', `"${shortName(project)}" is a core registry: core registries cannot be renamed.`);
  if (newName === project.name) return project;
  const clash = await nameClash(db, access, entity, newName, project.id);
  if (clash) throw clash;
  return renameRegistry(db, project, newName, viewer.id).catch(conflictOnDuplicate(newName));
}

/** The registry by its Project id, with the viewer's `needed` role enforced; NOT_FOUND when it is not there for them. */
async function registryById(access: ViewerAccess, db: DB, id: number, needed: RegistryRole, action: string): Promise<Project> {
  const project = await findProjectById(db, id);
  const entity = project ? await access.ownerOf(project) : undefined;
  const notFound = () => userError('NOT_FOUND', 'No registry has this id.');
  if (!project || !entity || !project.is_registry) throw notFound();
  checkRegistryRole(await access.roleIn(project, entity), project, needed, action, notFound);
  return project;
}

/**
 * Deletes a registry (registry admin) with its collections, links, aliases and members; never source
 * versions, so one holding versions of its own is refused. Core registries cannot be deleted.
 */
export async function deleteRegistryById(db: DB, viewer: User, access: ViewerAccess, id: number): Promise<void> {
  const project = await registryById(access, db, id, 'admin', 'delete a registry');
  if (project.is_core) throw userError('BAD_USER_INPUT', `"${shortName(project)}" is a core registry: core registries cannot be deleted.`);
  if ((await countOwnArtifacts(db, project.id)) > 0) {
    throw userError('CONFLICT', `Registry "${shortName(project)}" holds source versions of its own; delete them first.`);
  }
  await deleteRegistry(db, project, viewer.id);
}

// ---- members

const MANAGE_MEMBERS = 'manage the members of a registry';

async function requireUsersAndTeams(db: DB, organizationId: number, userIds: number[], teamIds: number[]): Promise<void> {
  const users = await existingUserIds(db, organizationId, userIds);
  const missingUser = userIds.find((id) => !users.has(id));
  if (missingUser !== undefined) throw userError('NOT_FOUND', `No user of the organization has id ${encodeId('User', missingUser)}.`);
  const teams = await existingTeamIds(db, organizationId, teamIds);
  const missingTeam = teamIds.find((id) => !teams.has(id));
  if (missingTeam !== undefined) throw userError('NOT_FOUND', `No team of the organization has id ${encodeId('Entity', missingTeam)}.`);
}

export interface MembersChange {
  projectId: number;
  userIds: number[];
  teamIds: number[];
}

/** Gives users and teams of the organization a role in a registry (registry admin); members already there keep theirs. */
export async function addRegistryMembers(
  db: DB,
  viewer: User,
  access: ViewerAccess,
  change: MembersChange & { role: RegistryRole },
): Promise<Project> {
  const project = await registryById(access, db, change.projectId, 'admin', MANAGE_MEMBERS);
  await requireUsersAndTeams(db, viewer.organization_id, change.userIds, change.teamIds);
  await insertMembers(db, project, change.userIds, change.teamIds, change.role, viewer.id);
  return project;
}

/** Takes the role of users and teams in a registry away (registry admin). */
export async function removeRegistryMembers(db: DB, viewer: User, access: ViewerAccess, change: MembersChange): Promise<Project> {
  const project = await registryById(access, db, change.projectId, 'admin', MANAGE_MEMBERS);
  await deleteMembers(db, project, change.userIds, change.teamIds, viewer.id);
  return project;
}

/** Changes a member user's or team's role in a registry (registry admin); NOT_FOUND when they are not a member. */
export async function setRegistryMemberRole(
  db: DB,
  viewer: User,
  access: ViewerAccess,
  projectId: number,
  member: { userId: number } | { teamId: number },
  role: RegistryRole,
): Promise<Project> {
  const project = await registryById(access, db, projectId, 'admin', MANAGE_MEMBERS);
  if (!(await updateMemberRole(db, project, member, role, viewer.id))) {
    throw 'userId' in member
      ? userError('NOT_FOUND', 'This user is not a member of the registry: add them first.')
      : userError('NOT_FOUND', 'This team is not a member of the registry: add it first.');
  }
  return project;
}

// ---- protected aliases

const CHANGE_PROTECTED = 'change the protected aliases of a registry';

/** Declares aliases only registry admins may add or remove (registry admin); the registry as it is now. */
export async function protectAliases(db: DB, viewer: User, access: ViewerAccess, projectId: number, aliases: string[]): Promise<Project> {
  const project = await registryById(access, db, projectId, 'admin', CHANGE_PROTECTED);
  await addProtectedAliases(db, project, aliases, viewer.id);
  return (await findProjectById(db, project.id)) ?? project;
}

/** Makes aliases ordinary again (registry admin); the registry as it is now. */
export async function unprotectAliases(db: DB, viewer: User, access: ViewerAccess, projectId: number, aliases: string[]): Promise<Project> {
  const project = await registryById(access, db, projectId, 'admin', CHANGE_PROTECTED);
  await removeProtectedAliases(db, project, aliases, viewer.id);
  return (await findProjectById(db, project.id)) ?? project;
}
