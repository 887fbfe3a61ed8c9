import { sql } from 'kysely';
import type { DB } from '../../db/database.js';
import type { Entity, Project } from '../../db/tables.js';
import { encodeCursor, type CursorValue } from '../../graphql/cursor.js';
import type { Filter, Order } from '../../graphql/filters.js';
import { filterSql, type FieldSpec } from '../../db/filter-sql.js';

export const REGISTRY_PREFIX = 'wandb-registry-';

/** Projects with their owning entity as one JSON column (callers need both to check access). */
function projectsWithEntity(db: DB) {
  return db
    .selectFrom('projects')
    .innerJoin('entities', 'entities.id', 'projects.entity_id')
    .selectAll('projects')
    .select(sql<Entity>`to_jsonb(entities)`.as('entity_json'));
}

function withEntity(row: (Project & { entity_json: Entity }) | undefined): { project: Project; entity: Entity } | undefined {
  if (!row) return undefined;
  const { entity_json, ...project } = row;
  return { project, entity: { ...entity_json, created_at: new Date(String(entity_json.created_at)) } };
}

/** A project by its owner's name and its own, with the owner: one statement. */
export async function findProjectWithEntityByName(db: DB, entityName: string, projectName: string) {
  return withEntity(
    await projectsWithEntity(db).where('entities.name', '=', entityName).where('projects.name', '=', projectName).executeTakeFirst(),
  );
}

/** A project with its owning entity, one statement. */
export async function findProjectWithEntityById(db: DB, id: number) {
  return withEntity(await projectsWithEntity(db).where('projects.id', '=', id).executeTakeFirst());
}

export async function findProject(db: DB, entityId: number, name: string): Promise<Project | undefined> {
  return db.selectFrom('projects').selectAll().where('entity_id', '=', entityId).where('name', '=', name).executeTakeFirst();
}

/** The filter fields the SDK sends for registries (wandb/apis/public/registries/_utils.py), as columns. */
export function registryField(name: string): FieldSpec | undefined {
  switch (name) {
    case 'id':
      return { kind: 'number', column: sql`projects.id` };
    case 'entity_id':
      return { kind: 'number', column: sql`projects.entity_id` };
    case 'name':
      return {
        kind: 'text',
        column: sql`projects.name`,
        // Inside $regex the SDK sends the bare name.
        regexColumn: sql`substr(projects.name, ${REGISTRY_PREFIX.length + 1})`,
        normalize: (v) => (v.startsWith(REGISTRY_PREFIX) ? v : REGISTRY_PREFIX + v),
      };
    case 'description':
      return { kind: 'text', column: sql`projects.description` };
    case 'created_at':
      return { kind: 'date', column: sql`projects.created_at` };
    case 'updated_at':
      return { kind: 'date', column: sql`projects.updated_at` };
    default:
      return undefined;
  }
}

/**
 * The filter fields of a team's projects: a registry's, but a team project's name has no registry
 * prefix, so it is matched as stored.
 */
export function teamProjectField(name: string): FieldSpec | undefined {
  return name === 'name' ? { kind: 'text', column: sql`projects.name` } : registryField(name);
}

/** Sortable registry fields and their columns (cursor values are these columns' values). */
export const REGISTRY_ORDER_COLUMNS = {
  name: 'projects.name',
  created_at: 'projects.created_at',
  updated_at: 'projects.updated_at',
  id: 'projects.id',
} as const;

export interface ProjectListQuery {
  entityId: number;
  /** Registries (projects of the org entity) or team projects. */
  registries: boolean;
  /** Restricted registries are included for everyone (org admins, team projects) or a user's memberships. */
  restrictedFor: 'everyone' | number;
  /** A filter over `registryField`'s fields (`teamProjectField`'s for team projects). */
  where: Filter | undefined;
  order: Order;
  after: CursorValue | undefined;
  first: number;
}

/** One page of projects plus one extra row to tell whether another page follows: one statement. */
export async function listProjects(db: DB, q: ProjectListQuery) {
  const column = sql.ref(REGISTRY_ORDER_COLUMNS[q.order.field as keyof typeof REGISTRY_ORDER_COLUMNS]);
  const dir = sql.raw(q.order.direction);
  const cmp = sql.raw(q.order.direction === 'asc' ? '>' : '<');
  let query = db.selectFrom('projects').selectAll().where('entity_id', '=', q.entityId).where('is_registry', '=', q.registries);
  if (q.restrictedFor !== 'everyone') {
    const userId = q.restrictedFor;
    query = query.where((eb) =>
      eb.or([
        eb('projects.access', '=', 'PRIVATE'),
        eb.exists(
          eb
            .selectFrom('registry_members as m')
            .select('m.id')
            .whereRef('m.project_id', '=', 'projects.id')
            .where((inner) =>
              inner.or([
                inner('m.user_id', '=', userId),
                inner('m.team_entity_id', 'in', inner.selectFrom('team_members').select('team_entity_id').where('user_id', '=', userId)),
              ]),
            ),
        ),
      ]),
    );
  }
  const where = filterSql(q.where, q.registries ? registryField : teamProjectField);
  if (where) query = query.where(where);
  if (q.after) {
    const value = q.order.field === 'created_at' || q.order.field === 'updated_at' ? new Date(String(q.after.v)) : q.after.v;
    query = query.where(sql<boolean>`(${column}, projects.id) ${cmp} (${value}, ${q.after.id})`);
  }
  const rows = await query
    // A registry's types come with it (the SDK's RegistryFragment always asks for them).
    .select(
      sql<
        { type_name: string; created_at: string }[]
      >`(select coalesce(jsonb_agg(jsonb_build_object('type_name', rt.type_name, 'created_at', rt.created_at) order by rt.type_name), '[]'::jsonb)
        from registry_types rt where rt.project_id = projects.id)`.as('types_json'),
    )
    .orderBy(sql`${column} ${dir}`)
    .orderBy(sql`projects.id ${dir}`)
    .limit(q.first + 1)
    .execute();
  const page = rows.slice(0, q.first);
  return {
    hasNextPage: rows.length > q.first,
    edges: page.map(({ types_json: _types, ...node }) => {
      const raw = node[q.order.field as 'name' | 'created_at' | 'updated_at' | 'id'];
      return { node, cursor: encodeCursor({ v: raw instanceof Date ? raw.toISOString() : raw, id: node.id }) };
    }),
    types: page.map(({ id, types_json }) => ({
      projectId: id,
      types: types_json.map((t) => ({ project_id: id, type_name: t.type_name, created_at: new Date(t.created_at) })),
    })),
  };
}

export async function registryTypesByProjectIds(db: DB, ids: readonly number[]) {
  return db
    .selectFrom('registry_types')
    .select(['project_id', 'type_name', 'created_at'])
    .where('project_id', 'in', ids)
    .orderBy('type_name')
    .execute();
}

export async function projectsByIds(db: DB, ids: readonly number[]): Promise<Project[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('projects').selectAll().where('id', 'in', ids).execute();
}

/** The team project, created when missing (concurrent creators end up with the same row). */
export async function ensureProject(db: DB, entityId: number, name: string): Promise<Project> {
  await db
    .insertInto('projects')
    .values({ entity_id: entityId, name, access: 'PRIVATE' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return db.selectFrom('projects').selectAll().where('entity_id', '=', entityId).where('name', '=', name).executeTakeFirstOrThrow();
}
