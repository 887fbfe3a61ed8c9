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
  /** null until the user chooses a password through a one-time link. */
  password_hash: string | null;
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

export interface SignInThrottlesTable {
  /** `user:<name>`, `address:<ip>` or `address:<ip>|user:<name>`. */
  key: string;
  failures: number;
  last_failure_at: Date;
}

export interface PasswordLinksTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_by: number | null;
  created_at: CreatedAt;
  expires_at: Date;
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
  /** How many portfolios (registry collections) it has, kept by a trigger on collections. */
  portfolio_count: Generated<number>;
}

export interface RegistryTypesTable {
  project_id: number;
  type_name: string;
  created_at: CreatedAt;
}

export type RegistryRole = 'admin' | 'member' | 'viewer' | 'restricted_viewer';
export type TeamRole = 'admin' | 'member';
export type CollectionKind = 'SEQUENCE' | 'PORTFOLIO';
export type ArtifactState = 'PENDING' | 'COMMITTED' | 'DELETED';
type Json = ColumnType<unknown, string, string>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface TeamMembersTable {
  team_entity_id: number;
  user_id: number;
  role: TeamRole;
  created_at: CreatedAt;
}

export interface RegistryMembersTable {
  id: Generated<number>;
  project_id: number;
  user_id: number | null;
  team_entity_id: number | null;
  role: RegistryRole;
  created_at: CreatedAt;
}

export interface ProtectedAliasesTable {
  project_id: number;
  alias: string;
}

export interface RunsTable {
  id: Generated<number>;
  project_id: number;
  name: string;
  display_name: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  /** running, finished, failed or crashed. */
  state: Generated<RunState>;
  /** JSON object as text: the SDK's `{"key": {"desc", "value"}}` config. */
  config: Generated<string>;
  /** JSON object as text: the latest wandb-summary.json. */
  summary: Generated<string>;
  host: ColumnType<string | null, string | null | undefined, string | null>;
  program: ColumnType<string | null, string | null | undefined, string | null>;
  job_type: ColumnType<string | null, string | null | undefined, string | null>;
  notes: ColumnType<string | null, string | null | undefined, string | null>;
  exitcode: ColumnType<number | null, number | null | undefined, number | null>;
  history_line_count: Generated<number>;
  events_line_count: Generated<number>;
  output_line_count: Generated<number>;
  heartbeat_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: UpdatedAt;
}

export type RunState = 'running' | 'finished' | 'failed' | 'crashed';
export type RunStream = 'history' | 'events' | 'output';

/** One line of a run's streamed file, at its offset (line number) in that file. */
export interface RunLinesTable {
  run_id: number;
  stream: RunStream;
  line: number;
  content: string;
}

export interface RunFilesTable {
  id: Generated<number>;
  run_id: number;
  name: string;
  size: ColumnType<number, number | undefined, number>;
  md5: string | null;
  /** The blob store's key of the content; null until uploaded. */
  blob: string | null;
  /** The credential of the file's one pending upload URL. */
  upload_token: string | null;
  updated_at: Date | null;
}

export interface CollectionsTable {
  id: Generated<number>;
  project_id: number;
  kind: CollectionKind;
  name: string;
  type_name: string;
  description: Generated<string>;
  next_version_index: Generated<number>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ArtifactsTable {
  id: Generated<number>;
  sequence_id: number;
  version_index: number | null;
  state: ArtifactState;
  digest: string;
  description: string | null;
  /** JSON object; written as JSON text. */
  metadata: Json;
  size: Generated<number>;
  file_count: Generated<number>;
  /** The manifest without its contents (they are in artifact_manifest_parts); null until it is uploaded. */
  manifest: ColumnType<unknown, string | null, string | null>;
  manifest_upload_token: string | null;
  client_id: string | null;
  run_id: number | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  committed_at: Date | null;
  /** Aliases given at creation, set on the commit: `[alias, …]` as JSON text. */
  pending_aliases: ColumnType<unknown, string | null | undefined, string | null>;
  ttl_duration_seconds: ColumnType<number | null, number | null | undefined, number | null>;
  history_step: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ArtifactFilesTable {
  id: Generated<number>;
  artifact_id: number;
  name: string;
  digest: string;
  size: Generated<number>;
  mimetype: string | null;
  /** Legacy: the hex MD5 naming content stored before SHA-256 keys, until the start-time backfill renames it. */
  blob: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * The key of the content this file is bound to (received or legitimately reused); null until then.
   * The hex SHA-256 the server computed when the bytes came through it; with S3 direct uploads, the
   * `blobs/<random>` key the server copied the verified upload to (storage/s3.ts).
   */
  sha256: ColumnType<string | null, string | null | undefined, string | null>;
  upload_token: string | null;
  /** A manifest reference entry (s3://…, https://…): nothing to upload or serve. */
  ref: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** An uploaded manifest's text, in order of `part`. */
export interface ArtifactManifestPartsTable {
  artifact_id: number;
  part: number;
  body: string;
}

export interface ArtifactTagsTable {
  artifact_id: number;
  tag: string;
}

export interface RunInputsTable {
  run_id: number;
  artifact_id: number;
  used_as: string | null;
}

export interface MembershipsTable {
  id: Generated<number>;
  collection_id: number;
  artifact_id: number;
  version_index: number;
  created_by: number | null;
  created_at: CreatedAt;
  /** A link into a registry collection (a portfolio), not a version's place in its own sequence. */
  is_link: Generated<boolean>;
}

export interface AliasesTable {
  id: Generated<number>;
  collection_id: number;
  membership_id: number;
  alias: string;
  /** When the alias was put on its current version. */
  created_at: UpdatedAt;
  /** Its version's `created_at` (link time), so a filter by alias can walk an index in link order. */
  linked_at: Date;
}

export interface CollectionTagsTable {
  collection_id: number;
  tag: string;
}

export interface EventsTable {
  id: Generated<number>;
  created_at: CreatedAt;
  /** null for the system. */
  actor_id: number | null;
  action: string;
  /** The registry (or team project) the change is in, and its name at the time. */
  project_id: number;
  project_name: string;
  collection_id: number | null;
  collection_name: string | null;
  /** The linked version, for version and alias events. */
  membership_id: number | null;
  version_index: number | null;
  before: ColumnType<unknown, string | null | undefined, never>;
  after: ColumnType<unknown, string | null | undefined, never>;
}

export interface TeamSecretsTable {
  id: Generated<number>;
  entity_id: number;
  name: string;
  /** base64 of nonce, AES-256-GCM tag and ciphertext, under the server's SECRETS_KEY. */
  sealed: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface IntegrationsTable {
  id: Generated<number>;
  entity_id: number;
  name: string;
  url: string;
  secret_name: string | null;
  access_token_name: string | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface AutomationsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  enabled: boolean;
  project_id: number;
  /** Set for a collection's automation; null for the whole project's. */
  collection_id: number | null;
  event_type: string;
  event_filter: string;
  action_type: string;
  integration_id: number | null;
  request_payload: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AutomationEventQueueTable {
  event_id: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface AutomationDeliveriesTable {
  id: Generated<number>;
  automation_id: number;
  event_id: number;
  webhook_id: string;
  context: ColumnType<Record<string, unknown>, string, never>;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AutomationDeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
}

export interface Database {
  team_secrets: TeamSecretsTable;
  integrations: IntegrationsTable;
  automations: AutomationsTable;
  automation_event_queue: AutomationEventQueueTable;
  automation_deliveries: AutomationDeliveriesTable;
  automation_delivery_attempts: AutomationDeliveryAttemptsTable;
  settings: SettingsTable;
  team_members: TeamMembersTable;
  registry_members: RegistryMembersTable;
  protected_aliases: ProtectedAliasesTable;
  runs: RunsTable;
  run_lines: RunLinesTable;
  run_files: RunFilesTable;
  collections: CollectionsTable;
  artifacts: ArtifactsTable;
  artifact_files: ArtifactFilesTable;
  artifact_manifest_parts: ArtifactManifestPartsTable;
  artifact_tags: ArtifactTagsTable;
  run_inputs: RunInputsTable;
  memberships: MembershipsTable;
  aliases: AliasesTable;
  collection_tags: CollectionTagsTable;
  events: EventsTable;
  organizations: OrganizationsTable;
  entities: EntitiesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  sign_in_throttles: SignInThrottlesTable;
  password_links: PasswordLinksTable;
  projects: ProjectsTable;
  registry_types: RegistryTypesTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type Entity = Selectable<EntitiesTable>;
export type User = Selectable<UsersTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type Project = Selectable<ProjectsTable>;
export type NewProject = Insertable<ProjectsTable>;
export type RegistryMember = Selectable<RegistryMembersTable>;
export type Run = Selectable<RunsTable>;
export type RunFile = Selectable<RunFilesTable>;
export type Collection = Selectable<CollectionsTable>;
export type Artifact = Selectable<ArtifactsTable>;
export type ArtifactFile = Selectable<ArtifactFilesTable>;
export type Membership = Selectable<MembershipsTable>;
export type Alias = Selectable<AliasesTable>;
export type Event = Selectable<EventsTable>;
export type TeamSecret = Selectable<TeamSecretsTable>;
export type Integration = Selectable<IntegrationsTable>;
export type Automation = Selectable<AutomationsTable>;
export type Delivery = Selectable<AutomationDeliveriesTable>;
