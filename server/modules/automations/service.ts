import type { Automation, Collection, Entity, Integration, Project } from '../../db/tables.js';
import type { Context, ServerSettings } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId } from '../../graphql/ids.js';
import { entityLoader } from '../organization/loaders.js';
import { canSeeProject } from '../registries/access.js';
import { projectLoader } from '../registries/loaders.js';
import { collectionLoader } from '../collections/loaders.js';
import { checkWebhookUrl } from './address-policy.js';
import { sealSecret } from './crypto.js';
import { EVENT_TYPE_ACTIONS, EVENT_TYPES, eventMatches, parseEventFilter, type EventRecord, type EventType } from './event-filter.js';
import { parseFilter, type FieldInfo } from '../../graphql/filters.js';
import { administersEntity, belongsToEntity, requireAutomationAdmin, requireEntityAdmin, requireViewer } from './access.js';
import { DEFAULT_PAYLOAD, PAYLOAD_VARIABLES, fillTemplate } from './payload.js';
import {
  automationById,
  automationCountOfIntegration,
  automationsIn,
  automationsOfProjects,
  deleteAutomation as deleteAutomationRow,
  deleteIntegration,
  deliveriesOfAutomation,
  deliveryById,
  deleteSecret as deleteSecretRow,
  insertAutomation,
  insertIntegration,
  integrationById,
  integrationsOfEntity,
  latestEventOf,
  requeueDelivery,
  secretsByName,
  secretsOfEntity,
  updateAutomation as updateAutomationRow,
  updateIntegration,
  upsertSecret,
  type AutomationFields,
  type DeliveryRow,
} from './repository.js';
import { eventRecord, sendTestMessage, type TestOutcome } from './delivery.js';

// The rules of automations, webhooks and team secrets, shared by the SDK's documents and the web app.

export const ACTION_TYPES = ['GENERIC_WEBHOOK', 'NO_OP'] as const;
type ActionType = (typeof ACTION_TYPES)[number];
const MAX_NAME = 255;
const MAX_PAYLOAD = 64 * 1024;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function settingsOf(ctx: Context): ServerSettings {
  if (!ctx.settings) throw new Error('automations need the server settings in the request context');
  return ctx.settings;
}

function checkName(what: string, name: string | null | undefined): string {
  const text = (name ?? '').trim();
  if (!text || text.length > MAX_NAME) throw userError('BAD_USER_INPUT', `A ${what} needs a name of 1 to ${MAX_NAME} characters.`);
  return text;
}

// ---- team secrets

/** A secret name as written in a reference (`NAME` or `${NAME}`). */
function secretNameOf(reference: string): string {
  const name = /^\$\{(.*)\}$/.exec(reference.trim())?.[1] ?? reference.trim();
  if (!SECRET_NAME.test(name)) {
    throw userError(
      'BAD_USER_INPUT',
      `"${name.slice(0, 80)}" is not a secret name: letters, digits and "_", not starting with a digit, at most 64.`,
    );
  }
  return name;
}

export async function saveSecret(ctx: Context, input: { entityName: string; secretName: string; secretValue: string }): Promise<void> {
  const entity = await requireEntityAdmin(ctx, input.entityName, 'save team secrets');
  const name = secretNameOf(input.secretName);
  if (!input.secretValue || input.secretValue.length > 10_000)
    throw userError('BAD_USER_INPUT', 'A secret value is 1 to 10000 characters.');
  await upsertSecret(ctx.db, entity.id, name, sealSecret(settingsOf(ctx).secretsKey(), input.secretValue));
}

export async function removeSecret(ctx: Context, input: { entityName: string; secretName: string }): Promise<boolean> {
  const entity = await requireEntityAdmin(ctx, input.entityName, 'delete team secrets');
  return deleteSecretRow(ctx.db, entity.id, secretNameOf(input.secretName));
}

/** The names of an entity's secrets (never their values), for whoever administers it; empty for everyone else. */
export async function listSecrets(ctx: Context, entity: Entity) {
  return (await administersEntity(ctx, entity)) ? secretsOfEntity(ctx.db, entity.id) : [];
}

// ---- webhook integrations

export interface WebhookInput {
  entityName: string;
  name: string;
  urlEndpoint: string;
  secretRef?: string | null;
  accessTokenRef?: string | null;
}

async function requireSecretsExist(ctx: Context, entity: Entity, names: string[]): Promise<void> {
  const found = new Set((await secretsByName(ctx.db, entity.id, names)).map((s) => s.name));
  const missing = names.filter((n) => !found.has(n));
  if (missing.length > 0) {
    throw userError(
      'BAD_USER_INPUT',
      `Team "${entity.name}" has no secret named ${missing.map((n) => `"${n}"`).join(', ')}; save it first.`,
    );
  }
}

export async function createWebhook(ctx: Context, input: WebhookInput): Promise<Integration> {
  const entity = await requireEntityAdmin(ctx, input.entityName, 'create webhooks');
  const name = checkName('webhook', input.name);
  const url = checkWebhookUrl(input.urlEndpoint, settingsOf(ctx).allowPrivateNetworks);
  const secretName = input.secretRef ? secretNameOf(input.secretRef) : null;
  const tokenName = input.accessTokenRef ? secretNameOf(input.accessTokenRef) : null;
  await requireSecretsExist(
    ctx,
    entity,
    [secretName, tokenName].filter((n): n is string => n !== null),
  );
  const row = await insertIntegration(ctx.db, {
    entity_id: entity.id,
    name,
    url: url.href,
    secret_name: secretName,
    access_token_name: tokenName,
    created_by: requireViewer(ctx, 'create webhooks').id,
  });
  if (!row) throw userError('CONFLICT', `Team "${entity.name}" already has an integration named "${name}".`);
  return row;
}

export async function integrationsPage(ctx: Context, entity: Entity, after: number, first: number) {
  if (!(await belongsToEntity(ctx, entity))) return [];
  return integrationsOfEntity(ctx.db, entity.id, after, first);
}

const noWebhook = (id: string) => userError('NOT_FOUND', `No webhook integration with id "${id.slice(0, 60)}".`);

/** A webhook the viewer administers: NOT_FOUND outside its team (as if it did not exist), FORBIDDEN for a member who is no admin. */
async function managedIntegration(ctx: Context, gid: string, action: string): Promise<Integration> {
  requireViewer(ctx, action);
  const integration = await integrationById(ctx.db, decodeId(gid, 'Integration'));
  const entity = integration && (await entityLoader(ctx).load(integration.entity_id));
  if (!integration || !entity || !(await belongsToEntity(ctx, entity))) throw noWebhook(gid);
  if (!(await administersEntity(ctx, entity)))
    throw userError('FORBIDDEN', `To ${action} you need the admin role in team "${entity.name}".`);
  return integration;
}

export interface WebhookChanges {
  id: string;
  name?: string | null;
  urlEndpoint?: string | null;
  secretRef?: string | null;
  accessTokenRef?: string | null;
}

/** Changes the fields given; an empty secretRef or accessTokenRef takes that secret off the webhook. */
export async function updateWebhook(ctx: Context, input: WebhookChanges): Promise<Integration> {
  const current = await managedIntegration(ctx, input.id, 'change webhooks');
  const changes: Partial<Pick<Integration, 'name' | 'url' | 'secret_name' | 'access_token_name'>> = {};
  if (input.name != null) changes.name = checkName('webhook', input.name);
  if (input.urlEndpoint != null) changes.url = checkWebhookUrl(input.urlEndpoint, settingsOf(ctx).allowPrivateNetworks).href;
  if (input.secretRef != null) changes.secret_name = input.secretRef.trim() ? secretNameOf(input.secretRef) : null;
  if (input.accessTokenRef != null) changes.access_token_name = input.accessTokenRef.trim() ? secretNameOf(input.accessTokenRef) : null;
  const entity = await entityLoader(ctx).load(current.entity_id);
  if (entity) {
    const named = [changes.secret_name, changes.access_token_name].filter((n): n is string => typeof n === 'string');
    await requireSecretsExist(ctx, entity, named);
  }
  if (Object.keys(changes).length === 0) return current;
  const row = await updateIntegration(ctx.db, current.id, changes);
  if (!row) throw userError('CONFLICT', `Team "${entity?.name ?? ''}" already has an integration named "${changes.name ?? ''}".`);
  return row;
}

/** Deletes a webhook no automation uses (an automation's action must keep its webhook). */
export async function deleteWebhook(ctx: Context, gid: string): Promise<void> {
  const integration = await managedIntegration(ctx, gid, 'delete webhooks');
  const used = await automationCountOfIntegration(ctx.db, integration.id);
  if (used > 0) {
    throw userError(
      'CONFLICT',
      `Webhook "${integration.name}" is used by ${used} automation${used === 1 ? '' : 's'}; delete them or give them another webhook first.`,
    );
  }
  await deleteIntegration(ctx.db, integration.id);
}

/** What a test message is filled with: an alias added in the Models registry by the viewer. */
function sampleContext(ctx: Context, entityName: string): Record<string, unknown> {
  const versionString = `${entityName}/wandb-registry-model/example-model:v0`;
  return {
    event_type: 'ADD_ARTIFACT_ALIAS',
    event_author: ctx.viewer?.username ?? '',
    alias: 'production',
    artifact_collection_name: 'example-model',
    project_name: 'wandb-registry-model',
    entity_name: entityName,
    version_index: 0,
    artifact_version_string: versionString,
    artifact_version: JSON.stringify({ versionIndex: 0, collection: 'example-model', string: versionString }),
  };
}

/** Sends a webhook a sample signed message now (team admins), with the payload given or the default. */
export async function testWebhook(ctx: Context, gid: string, requestPayload?: string | null): Promise<TestOutcome> {
  const integration = await managedIntegration(ctx, gid, 'test webhooks');
  const template = await checkPayload(ctx, integration, requestPayload);
  const entity = await entityLoader(ctx).load(integration.entity_id);
  return sendTestMessage(ctx.db, settingsOf(ctx), integration, {
    template: template ?? DEFAULT_PAYLOAD,
    context: sampleContext(ctx, entity?.name ?? ''),
  });
}

/** An integration the viewer may see (a member of its team), or undefined. */
export async function visibleIntegration(ctx: Context, id: number | null): Promise<Integration | undefined> {
  if (id === null) return undefined;
  const integration = await integrationById(ctx.db, id);
  if (!integration) return undefined;
  const entity = await entityLoader(ctx).load(integration.entity_id);
  return entity && (await belongsToEntity(ctx, entity)) ? integration : undefined;
}

// ---- automations

export interface ActionConfig {
  genericWebhookActionInput?: { integrationID: string; requestPayload?: string | null } | null;
  noOpActionInput?: { noOp?: boolean | null } | null;
}

export interface AutomationInput {
  name?: string | null;
  description?: string | null;
  enabled?: boolean | null;
  eventFilter?: string | null;
  scopeID?: string | null;
  scopeType?: string | null;
  triggeredActionConfig?: ActionConfig | null;
  triggeredActionType?: string | null;
  triggeringEventType?: string | null;
}

const noAutomation = (id: string) => userError('NOT_FOUND', `No automation with id "${id.slice(0, 60)}".`);
const noScope = (id: string) => userError('NOT_FOUND', `No registry, project or collection with id "${id.slice(0, 60)}".`);

async function loadOrUndefined<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch {
    return undefined;
  }
}

/** The project (and collection) an automation's scope names, checked for the viewer's right to manage it. */
async function resolveScope(
  ctx: Context,
  scopeType: string,
  scopeID: string,
): Promise<{ project: Project; collection: Collection | null }> {
  let project: Project | undefined;
  let collection: Collection | null = null;
  if (scopeType === 'PROJECT') {
    project = await loadOrUndefined(() => projectLoader(ctx).load(decodeId(scopeID, 'Project')));
  } else if (scopeType === 'ARTIFACT_COLLECTION') {
    const id = decodeId(scopeID, 'ArtifactCollection', 'ArtifactPortfolio', 'ArtifactSequence');
    collection = (await loadOrUndefined(() => collectionLoader(ctx).load(id))) ?? null;
    project = collection ? await loadOrUndefined(() => projectLoader(ctx).load(collection!.project_id)) : undefined;
  } else {
    throw userError(
      'BAD_USER_INPUT',
      `Automations are scoped to a registry (PROJECT) or a collection (ARTIFACT_COLLECTION), not ${scopeType}.`,
    );
  }
  if (!project) throw noScope(scopeID);
  await requireAutomationAdmin(ctx, project, () => noScope(scopeID));
  return { project, collection };
}

function checkEventType(type: string): EventType {
  if (!(EVENT_TYPES as readonly string[]).includes(type)) {
    throw userError('BAD_USER_INPUT', `Automations here react to ${EVENT_TYPES.join(', ')}; ${type} is not supported.`);
  }
  return type as EventType;
}

function checkActionType(type: string): ActionType {
  if (!(ACTION_TYPES as readonly string[]).includes(type)) {
    throw userError('BAD_USER_INPUT', `Automations here run ${ACTION_TYPES.join(' or ')}; ${type} is not supported.`);
  }
  return type as ActionType;
}

/** Checks a payload template: JSON once its variables are filled in, naming only secrets the webhook's team has. */
async function checkPayload(ctx: Context, integration: Integration, template: string | null | undefined): Promise<string | null> {
  if (template == null || template.trim() === '') return null;
  if (template.length > MAX_PAYLOAD) throw userError('BAD_USER_INPUT', `A webhook payload is at most ${MAX_PAYLOAD} characters.`);
  const secrets = new Set<string>();
  const filled = fillTemplate(template, (name) => {
    if (!PAYLOAD_VARIABLES.includes(name) && name !== 'ACCESS_TOKEN') secrets.add(name);
    return 'x';
  });
  try {
    JSON.parse(filled);
  } catch {
    throw userError(
      'BAD_USER_INPUT',
      `A webhook payload is JSON once its variables are filled in (put them in quotes: "\${artifact_version_string}"); this one is not. Variables: ${PAYLOAD_VARIABLES.join(', ')}, ACCESS_TOKEN, and a team secret's name.`,
    );
  }
  const entity = await entityLoader(ctx).load(integration.entity_id);
  if (entity) await requireSecretsExist(ctx, entity, [...secrets]);
  return template;
}

/** The action's columns: the webhook (which the viewer's team must own) and its payload, or nothing for NO_OP. */
async function actionColumns(ctx: Context, type: ActionType, config: ActionConfig | null | undefined) {
  if (type === 'NO_OP') return { action_type: type, integration_id: null, request_payload: null };
  const webhook = config?.genericWebhookActionInput;
  if (!webhook) throw userError('BAD_USER_INPUT', 'A GENERIC_WEBHOOK automation needs triggeredActionConfig.genericWebhookActionInput.');
  const id = decodeId(webhook.integrationID, 'Integration');
  const integration = await visibleIntegration(ctx, id);
  if (!integration) throw userError('NOT_FOUND', `No webhook integration with id "${webhook.integrationID.slice(0, 60)}".`);
  return {
    action_type: type,
    integration_id: integration.id,
    request_payload: await checkPayload(ctx, integration, webhook.requestPayload),
  };
}

function checkFilter(json: string | null | undefined): string {
  const text = json ?? '{}';
  parseEventFilter(text);
  return text;
}

export async function createAutomation(ctx: Context, input: AutomationInput): Promise<Automation> {
  const viewer = requireViewer(ctx, 'create automations');
  const { project, collection } = await resolveScope(ctx, input.scopeType ?? '', input.scopeID ?? '');
  const row: AutomationFields = {
    name: checkName('automation', input.name),
    description: input.description ?? null,
    enabled: input.enabled ?? true,
    project_id: project.id,
    collection_id: collection?.id ?? null,
    event_type: checkEventType(input.triggeringEventType ?? ''),
    event_filter: checkFilter(input.eventFilter),
    ...(await actionColumns(ctx, checkActionType(input.triggeredActionType ?? ''), input.triggeredActionConfig)),
    created_by: viewer.id,
  };
  return insertAutomation(ctx.db, row);
}

/** An automation the viewer manages; one they cannot see is NOT_FOUND, like one that does not exist. */
async function managedAutomation(ctx: Context, gid: string): Promise<Automation> {
  requireViewer(ctx, 'manage automations');
  const automation = await automationById(ctx.db, decodeId(gid, 'Trigger'));
  const project = automation && (await loadOrUndefined(() => projectLoader(ctx).load(automation.project_id)));
  if (!automation || !project) throw noAutomation(gid);
  await requireAutomationAdmin(ctx, project, () => noAutomation(gid));
  return automation;
}

export async function updateAutomation(ctx: Context, gid: string, input: AutomationInput): Promise<Automation> {
  const current = await managedAutomation(ctx, gid);
  const changes: Partial<AutomationFields> = {};
  if (input.scopeID != null || input.scopeType != null) {
    const scopeType = input.scopeType ?? (current.collection_id === null ? 'PROJECT' : 'ARTIFACT_COLLECTION');
    if (input.scopeID == null) throw userError('BAD_USER_INPUT', 'Changing the scope takes scopeID with scopeType.');
    const { project, collection } = await resolveScope(ctx, scopeType, input.scopeID);
    changes.project_id = project.id;
    changes.collection_id = collection?.id ?? null;
  }
  if (input.name != null) changes.name = checkName('automation', input.name);
  if (input.description !== undefined) changes.description = input.description;
  if (input.enabled != null) changes.enabled = input.enabled;
  if (input.triggeringEventType != null) changes.event_type = checkEventType(input.triggeringEventType);
  if (input.eventFilter != null) changes.event_filter = checkFilter(input.eventFilter);
  if (input.triggeredActionType != null || input.triggeredActionConfig != null) {
    const type = checkActionType(input.triggeredActionType ?? current.action_type);
    Object.assign(changes, await actionColumns(ctx, type, input.triggeredActionConfig));
  }
  return updateAutomationRow(ctx.db, current.id, changes);
}

export async function deleteAutomation(ctx: Context, gid: string): Promise<void> {
  const automation = await managedAutomation(ctx, gid);
  await deleteAutomationRow(ctx.db, automation.id);
}

/** A page of automations in an organization's or entity's projects, those the viewer can see. */
export async function automationsPage(
  ctx: Context,
  of: { organizationId: number } | { entityId: number },
  afterId: number,
  first: number,
  filters?: string | null,
): Promise<{ rows: Automation[]; hasNextPage: boolean }> {
  const filter = parseFilter(filters, (name) => AUTOMATION_FIELDS[name]);
  const viewer = ctx.viewer;
  const organizationId = 'organizationId' in of ? of.organizationId : (await entityLoader(ctx).load(of.entityId))?.organization_id;
  if (!viewer || viewer.organization_id !== organizationId) return { rows: [], hasNextPage: false };
  const visible: Automation[] = [];
  let after = afterId;
  // Rows of projects the viewer cannot see are skipped; pages are read until this one is full.
  for (;;) {
    const rows = await automationsIn(ctx.db, of, after, first + 1);
    for (const row of rows) if (eventMatches(filter, automationRecord(row)) && (await canSeeAutomation(ctx, row))) visible.push(row);
    if (visible.length > first || rows.length <= first) break;
    after = rows.at(-1)!.id;
  }
  return { rows: visible.slice(0, first), hasNextPage: visible.length > first };
}

/** What a listing's filter may ask of an automation. */
const AUTOMATION_FIELDS: Record<string, FieldInfo> = {
  name: { kind: 'text' },
  description: { kind: 'text' },
  event_type: { kind: 'text' },
  action_type: { kind: 'text' },
  project_id: { kind: 'number' },
  id: { kind: 'number' },
};

function automationRecord(row: Automation): EventRecord {
  return {
    name: row.name,
    description: row.description ?? undefined,
    event_type: row.event_type,
    action_type: row.action_type,
    project_id: row.project_id,
    id: row.id,
  };
}

/** A project's automations (the caller checks who may see them). */
export function automationsOfProject(ctx: Context, projectId: number): Promise<Automation[]> {
  return automationsOfProjects(ctx.db, [projectId]);
}

export async function canSeeAutomation(ctx: Context, automation: Automation): Promise<boolean> {
  const project = await loadOrUndefined(() => projectLoader(ctx).load(automation.project_id));
  const owner = project && (await entityLoader(ctx).load(project.entity_id));
  return owner !== undefined && project !== undefined && canSeeProject(ctx, project, owner);
}

// ---- deliveries

/** Whether the viewer manages an automation (sees its deliveries, redelivers them). */
export async function managesAutomation(ctx: Context, automation: Automation): Promise<boolean> {
  if (!ctx.viewer) return false;
  const project = await loadOrUndefined(() => projectLoader(ctx).load(automation.project_id));
  if (!project) return false;
  try {
    await requireAutomationAdmin(ctx, project, () => noAutomation(''));
    return true;
  } catch {
    return false;
  }
}

/** A page of an automation's deliveries, newest first, for those who manage it; null for everyone else. */
export async function automationDeliveries(
  ctx: Context,
  automation: Automation,
  beforeId: number | null,
  first: number,
): Promise<{ rows: DeliveryRow[]; hasNextPage: boolean } | null> {
  if (!(await managesAutomation(ctx, automation))) return null;
  const rows = await deliveriesOfAutomation(ctx.db, automation.id, beforeId, first + 1);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

const noDelivery = (id: string) => userError('NOT_FOUND', `No delivery with id "${id.slice(0, 60)}".`);

/** Queues a finished delivery again with the same webhook-id, so a receiver that kept it can tell the repeat. */
export async function redeliver(ctx: Context, gid: string): Promise<DeliveryRow> {
  requireViewer(ctx, 'redeliver webhooks');
  const delivery = await deliveryById(ctx.db, decodeId(gid, 'Delivery'));
  const automation = delivery && (await automationById(ctx.db, delivery.automation_id));
  if (!delivery || !automation) throw noDelivery(gid);
  const project = await loadOrUndefined(() => projectLoader(ctx).load(automation.project_id));
  if (!project) throw noDelivery(gid);
  await requireAutomationAdmin(ctx, project, () => noDelivery(gid));
  const queued = await requeueDelivery(ctx.db, Number(delivery.id));
  if (!queued) throw userError('CONFLICT', 'This delivery is still being sent or retried; redeliver it once it has finished.');
  // The page of one: the newest delivery before the next id is this one, with its latest attempt.
  const [row] = await deliveriesOfAutomation(ctx.db, automation.id, Number(delivery.id) + 1, 1);
  if (!row) throw noDelivery(gid);
  return row;
}

export type { DeliveryRow };

// ---- the payload editor's preview

export interface PayloadPreview {
  /** The payload filled from the event; secrets and the access token stay as written. */
  body: string;
  /** Why the body is not JSON, when it is not. */
  problem: string | null;
  eventAt: Date | null;
  eventSubject: string | null;
}

/**
 * A payload template filled from the newest event of its type in the scope (the variables stay as
 * written when there is none), for those who manage the registry's automations; null for everyone else.
 */
export async function previewPayload(
  ctx: Context,
  project: Project,
  input: { eventType: string; collectionId?: string | null; template?: string | null },
): Promise<PayloadPreview | null> {
  try {
    await requireAutomationAdmin(ctx, project, () => noScope(''));
  } catch {
    return null;
  }
  const type = checkEventType(input.eventType);
  const template = input.template?.trim() ? input.template : DEFAULT_PAYLOAD;
  if (template.length > MAX_PAYLOAD) throw userError('BAD_USER_INPUT', `A webhook payload is at most ${MAX_PAYLOAD} characters.`);
  const collectionId = input.collectionId ? decodeId(input.collectionId, 'ArtifactCollection', 'ArtifactPortfolio') : null;
  const event = await latestEventOf(ctx.db, project.id, collectionId, EVENT_TYPE_ACTIONS[type]);
  const context = event ? eventRecord(event) : {};
  const body = fillTemplate(template, (name) => {
    if (!PAYLOAD_VARIABLES.includes(name)) return undefined;
    const value = context[name];
    return value === undefined ? undefined : String(value);
  });
  let problem: string | null = null;
  try {
    // Checked with every variable filled, as saving does: an unfilled one is still text in quotes.
    JSON.parse(fillTemplate(template, () => 'x'));
  } catch (error) {
    problem = `Not JSON once its variables are filled in: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    body,
    problem,
    eventAt: event?.created_at ?? null,
    eventSubject: event
      ? typeof context.artifact_version_string === 'string'
        ? context.artifact_version_string
        : (event.collection_name ?? event.project_name)
      : null,
  };
}
