import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrgRole = 'admin' | 'member' | 'viewer';
export type EntityKind = 'ORGANIZATION' | 'TEAM' | 'USER';
export type ProjectAccess = 'PRIVATE' | 'RESTRICTED';

export interface OrganizationsTable {
  id: Generated<number>;
  name: string;
  org_entity_id: number | null;
  created_at: CreatedAt;
}

export interface EntitiesTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  kind: EntityKind;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<number>;
  organization_id: number;
  entity_id: number;
  username: string;
  name: Generated<string>;
  email: string | null;
  password_hash: string;
  org_role: OrgRole;
  created_at: CreatedAt;
  deleted_at: Date | null;
}

export interface ApiKeysTable {
  id: Generated<number>;
  user_id: number;
  key_hash: string;
  prefix: string;
  description: Generated<string>;
  created_at: CreatedAt;
  last_used_at: Date | null;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Date;
}

export interface LoginFailuresTable {
  username: string;
  failures: number;
  last_failure_at: Date;
}

export interface ProjectsTable {
  id: Generated<number>;
  entity_id: number;
  name: string;
  display_name: Generated<string>;
  description: Generated<string>;
  access: ProjectAccess;
  is_registry: Generated<boolean>;
  is_core: Generated<boolean>;
  allow_all_types: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RegistryTypesTable {
  project_id: number;
  type_name: string;
  created_at: CreatedAt;
}

export interface Database {
  organizations: OrganizationsTable;
  entities: EntitiesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  projects: ProjectsTable;
  registry_types: RegistryTypesTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type Entity = Selectable<EntitiesTable>;
export type User = Selectable<UsersTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type Project = Selectable<ProjectsTable>;
export type NewProject = Insertable<ProjectsTable>;
