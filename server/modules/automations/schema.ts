import type { Automation, Collection, Entity, Integration, Project } from '../../db/tables.js';
import { builder, connection, PageInfo, type Page } from '../../graphql/builder.js';
import { decodeCursor, pageSize } from '../../graphql/cursor.js';
import { decodeId, encodeId } from '../../graphql/ids.js';
import { ArtifactPortfolioRef, ArtifactSequenceRef, EntityRef, OrganizationRef, ProjectRef, UserRef } from '../../graphql/refs.js';
import { ProjectConnection } from '../registries/schema.js';
import { projectPage } from '../registries/service.js';
import { projectLoader } from '../registries/loaders.js';
import { collectionLoader } from '../collections/loaders.js';
import { entityLoader } from '../organization/loaders.js';
import { EVENT_TYPES } from './event-filter.js';
import {
  automationsOfProject,
  automationsPage,
  canSeeAutomation,
  createAutomation,
  automationDeliveries,
  createWebhook,
  deleteAutomation,
  deleteWebhook,
  integrationsPage,
  listSecrets,
  previewPayload,
  redeliver,
  removeSecret,
  saveSecret,
  testWebhook,
  updateAutomation,
  updateWebhook,
  visibleIntegration,
} from './service.js';
import { administersEntity } from './access.js';
import type { DeliveryRow } from './service.js';

// The SDK's automations API (wandb.automations): triggers, their scope, event and action, and the
// team's webhook integrations and secrets. Types the SDK's fragments name but this server does not run
// (Slack notifications, launch queues) exist so its documents validate; no trigger returns them.

const TriggerScopeType = builder.enumType('TriggerScopeType', { values: ['ARTIFACT_COLLECTION', 'ENTITY', 'PROJECT'] as const });
const TriggeredActionType = builder.enumType('TriggeredActionType', {
  values: ['GENERIC_WEBHOOK', 'NOTIFICATION', 'NO_OP', 'PUSH_NOTIFICATION', 'QUEUE_JOB'] as const,
});
const EventTriggeringConditionType = builder.enumType('EventTriggeringConditionType', {
  values: [
    ...EVENT_TYPES,
    'RUN_METRIC',
    'RUN_METRIC_CHANGE',
    'RUN_METRIC_ZSCORE',
    'RUN_STATE',
    'UPDATE_ARTIFACT_ALIAS',
    'WEAVE_METRIC_THRESHOLD',
  ] as const,
});
const AlertSeverity = builder.enumType('AlertSeverity', { values: ['ERROR', 'INFO', 'WARN'] as const });

type EventTypeValue = typeof EventTriggeringConditionType.$inferType;

const GenericWebhookIntegrationRef = builder.objectRef<Integration>('GenericWebhookIntegration').implement({
  description: "A team's webhook: where automations POST. Its secrets are named, never shown.",
  fields: (t) => ({
    id: t.id({ resolve: (i) => encodeId('Integration', i.id) }),
    name: t.exposeString('name'),
    urlEndpoint: t.exposeString('url'),
    createdAt: t.field({ type: 'DateTime', resolve: (i) => i.created_at }),
    secretRef: t.string({
      nullable: true,
      description: 'The name of the team secret that signs deliveries.',
      resolve: (i) => i.secret_name,
    }),
    accessTokenRef: t.string({
      nullable: true,
      description: 'The name of the team secret sent as the bearer token.',
      resolve: (i) => i.access_token_name,
    }),
  }),
});

interface Never {
  never: true;
}

const SlackIntegrationRef = builder.objectRef<Never>('SlackIntegration').implement({
  description: 'Slack notifications are not offered by this server; the type exists for the SDK’s documents.',
  fields: (t) => ({
    id: t.id({ resolve: () => '' }),
    teamName: t.string({ resolve: () => '' }),
    channelName: t.string({ resolve: () => '' }),
  }),
});

const IntegrationUnion = builder.unionType('Integration', {
  types: [GenericWebhookIntegrationRef, SlackIntegrationRef],
  resolveType: () => GenericWebhookIntegrationRef,
});

// By hand: connection() takes an object type, and the SDK's integrations are a union.
const IntegrationEdge = builder.objectRef<{ cursor: string; node: Integration }>('IntegrationEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: IntegrationUnion, resolve: (edge) => edge.node }),
  }),
});

const IntegrationConnection = builder.objectRef<Page<Integration>>('IntegrationConnection').implement({
  fields: (t) => ({
    pageInfo: t.field({
      type: PageInfo,
      resolve: (page) => ({ endCursor: page.edges.at(-1)?.cursor ?? null, hasNextPage: page.hasNextPage }),
    }),
    edges: t.field({ type: [IntegrationEdge], resolve: (page) => page.edges }),
  }),
});

const RunQueueRef = builder.objectRef<Never>('RunQueue').implement({
  fields: (t) => ({ id: t.id({ resolve: () => '' }), name: t.string({ resolve: () => '' }) }),
});

const QueueJobActionRef = builder.objectRef<Never>('QueueJobTriggeredAction').implement({
  description: 'Not offered by this server.',
  fields: (t) => ({
    queue: t.field({ type: RunQueueRef, nullable: true, resolve: () => null }),
    template: t.field({ type: 'JSONString', resolve: () => '{}' }),
  }),
});

const NotificationActionRef = builder.objectRef<Never>('NotificationTriggeredAction').implement({
  description: 'Not offered by this server.',
  fields: (t) => ({
    integration: t.field({ type: SlackIntegrationRef, nullable: true, resolve: () => null }),
    title: t.string({ nullable: true, resolve: () => null }),
    message: t.string({ nullable: true, resolve: () => null }),
    severity: t.field({ type: AlertSeverity, nullable: true, resolve: () => null }),
  }),
});

interface WebhookAction {
  kind: 'webhook';
  automation: Automation;
}
interface NoOpAction {
  kind: 'noop';
}

const GenericWebhookActionRef = builder.objectRef<WebhookAction>('GenericWebhookTriggeredAction').implement({
  fields: (t) => ({
    integration: t.field({
      type: GenericWebhookIntegrationRef,
      nullable: true,
      description: 'Null when the viewer is not in the team that owns the webhook.',
      resolve: (a, _args, ctx) => visibleIntegration(ctx, a.automation.integration_id),
    }),
    requestPayload: t.field({ type: 'JSONString', nullable: true, resolve: (a) => a.automation.request_payload }),
  }),
});

const NoOpActionRef = builder.objectRef<NoOpAction>('NoOpTriggeredAction').implement({
  fields: (t) => ({ noOp: t.boolean({ nullable: true, resolve: () => true }) }),
});

const TriggeredActionUnion = builder.unionType('TriggeredAction', {
  types: [QueueJobActionRef, NotificationActionRef, GenericWebhookActionRef, NoOpActionRef],
  resolveType: (value) => ('kind' in value && value.kind === 'webhook' ? GenericWebhookActionRef : NoOpActionRef),
});

const FilterEventConditionRef = builder.objectRef<Automation>('FilterEventTriggeringCondition').implement({
  fields: (t) => ({
    eventType: t.field({ type: EventTriggeringConditionType, resolve: (a) => a.event_type as EventTypeValue }),
    filter: t.field({ type: 'JSONString', resolve: (a) => a.event_filter }),
  }),
});

const TriggeringConditionUnion = builder.unionType('TriggeringCondition', {
  types: [FilterEventConditionRef],
  resolveType: () => FilterEventConditionRef,
});

const TriggerScopeUnion = builder.unionType('TriggerScope', {
  types: [ProjectRef, ArtifactPortfolioRef, ArtifactSequenceRef, EntityRef],
  resolveType: (value) => {
    if ('is_registry' in value) return ProjectRef;
    const kind = (value as Collection | Entity).kind;
    return kind === 'PORTFOLIO' ? ArtifactPortfolioRef : kind === 'SEQUENCE' ? ArtifactSequenceRef : EntityRef;
  },
});

const DeliveryStatus = builder.enumType('AutomationDeliveryStatus', {
  description: 'PENDING: waiting for its (next) attempt; DELIVERED: answered 2xx; FAILED: given up.',
  values: ['PENDING', 'DELIVERED', 'FAILED'] as const,
});

const contextText = (row: DeliveryRow, key: string): string | null => {
  const value = row.context[key];
  return typeof value === 'string' ? value : null;
};

const AutomationDeliveryRef = builder.objectRef<DeliveryRow>('AutomationDelivery').implement({
  description: "One event sent to an automation's webhook, with what its latest attempt found.",
  fields: (t) => ({
    id: t.id({ resolve: (d) => encodeId('Delivery', d.id) }),
    webhookId: t.string({ description: 'The webhook-id header: the same on every attempt and redelivery.', resolve: (d) => d.webhook_id }),
    createdAt: t.field({ type: 'DateTime', description: 'When the event was matched.', resolve: (d) => d.created_at }),
    eventType: t.string({ resolve: (d) => contextText(d, 'event_type') ?? '' }),
    artifactVersionString: t.string({ nullable: true, resolve: (d) => contextText(d, 'artifact_version_string') }),
    alias: t.string({ nullable: true, resolve: (d) => contextText(d, 'alias') }),
    status: t.field({ type: DeliveryStatus, resolve: (d) => d.status.toUpperCase() as 'PENDING' | 'DELIVERED' | 'FAILED' }),
    attempts: t.int({ resolve: (d) => d.attempts }),
    lastAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.started_at }),
    statusCode: t.int({ nullable: true, description: "The latest attempt's HTTP status.", resolve: (d) => d.status_code }),
    durationMs: t.int({ nullable: true, description: "The latest attempt's time, in milliseconds.", resolve: (d) => d.duration_ms }),
    responseExcerpt: t.string({
      nullable: true,
      description: "The start of the latest answer's body.",
      resolve: (d) => d.response_excerpt,
    }),
    error: t.string({ nullable: true, resolve: (d) => d.last_error }),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => (d.status === 'pending' ? d.next_attempt_at : null) }),
  }),
});

const AutomationDeliveryConnection = connection('AutomationDelivery', AutomationDeliveryRef);

const TriggerRef = builder.objectRef<Automation>('Trigger').implement({
  description: 'An automation: when an event in its scope passes its filter, its action runs (a webhook is POSTed).',
  fields: (t) => ({
    id: t.id({ resolve: (a) => encodeId('Trigger', a.id) }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.created_at }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.updated_at }),
    name: t.exposeString('name'),
    description: t.string({ nullable: true, resolve: (a) => a.description }),
    enabled: t.exposeBoolean('enabled'),
    scopeType: t.field({ type: TriggerScopeType, resolve: (a) => (a.collection_id === null ? 'PROJECT' : 'ARTIFACT_COLLECTION') }),
    scope: t.field({
      type: TriggerScopeUnion,
      resolve: async (a, _args, ctx): Promise<Project | Collection> =>
        a.collection_id === null ? projectLoader(ctx).load(a.project_id) : collectionLoader(ctx).load(a.collection_id),
    }),
    triggeringEventType: t.field({ type: EventTriggeringConditionType, resolve: (a) => a.event_type as EventTypeValue }),
    triggeringCondition: t.field({ type: TriggeringConditionUnion, resolve: (a) => a }),
    triggeredActionType: t.field({ type: TriggeredActionType, resolve: (a) => a.action_type as 'GENERIC_WEBHOOK' | 'NO_OP' }),
    triggeredAction: t.field({
      type: TriggeredActionUnion,
      resolve: (a): WebhookAction | NoOpAction =>
        a.action_type === 'GENERIC_WEBHOOK' ? { kind: 'webhook', automation: a } : { kind: 'noop' },
    }),
    deliveries: t.field({
      type: AutomationDeliveryConnection,
      nullable: true,
      description: "The automation's deliveries, newest first: for those who manage it (null for everyone else).",
      args: { after: t.arg.string(), first: t.arg.int() },
      resolve: async (a, args, ctx) => {
        const page = await automationDeliveries(ctx, a, args.after ? decodeId(args.after, 'Delivery') : null, pageSize(args.first, 100));
        if (!page) return null;
        return { hasNextPage: page.hasNextPage, edges: page.rows.map((node) => ({ node, cursor: encodeId('Delivery', node.id) })) };
      },
    }),
  }),
});

const TriggerConnection = connection('Trigger', TriggerRef);

function afterId(cursor: string | null | undefined, type: string): number {
  return cursor ? decodeId(cursor, type) : 0;
}

function triggerPage(rows: Automation[], hasNextPage: boolean): Page<Automation> {
  return { hasNextPage, edges: rows.map((node) => ({ node, cursor: encodeId('Trigger', node.id) })) };
}

builder.objectFields(EntityRef, (t) => ({
  triggers: t.field({
    type: TriggerConnection,
    nullable: true,
    description: "Automations in the entity's projects (the organization entity's: its registries) that the viewer can see.",
    args: { after: t.arg.string(), first: t.arg.int(), order: t.arg.string(), filters: t.arg({ type: 'JSONString' }) },
    resolve: async (entity, args, ctx) => {
      const page = await automationsPage(
        ctx,
        { entityId: entity.id },
        afterId(args.after, 'Trigger'),
        pageSize(args.first, 100),
        args.filters,
      );
      return triggerPage(page.rows, page.hasNextPage);
    },
  }),
  integrations: t.field({
    type: IntegrationConnection,
    nullable: true,
    description: "The entity's webhook integrations, for its members.",
    args: { after: t.arg.string(), first: t.arg.int() },
    resolve: async (entity, args, ctx) => {
      const first = pageSize(args.first, 100);
      const rows = await integrationsPage(ctx, entity, afterId(args.after, 'Integration'), first + 1);
      return {
        hasNextPage: rows.length > first,
        edges: rows.slice(0, first).map((node) => ({ node, cursor: encodeId('Integration', node.id) })),
      };
    },
  }),
  viewerIsAdmin: t.boolean({
    description: "Whether the viewer administers the entity's webhooks and secrets (its team admins, org admins, a user their own).",
    resolve: (entity, _args, ctx) => administersEntity(ctx, entity),
  }),
  secrets: t.field({
    type: [
      builder.simpleObject('Secret', {
        description: "A team secret's name; its value is never shown after it is saved.",
        fields: (f) => ({ name: f.string(), createdAt: f.field({ type: 'DateTime' }), updatedAt: f.field({ type: 'DateTime' }) }),
      }),
    ],
    description: "The entity's secret names, for its admins; empty for everyone else.",
    resolve: async (entity, _args, ctx) =>
      (await listSecrets(ctx, entity)).map((s) => ({ name: s.name, createdAt: s.created_at, updatedAt: s.updated_at })),
  }),
}));

builder.objectFields(OrganizationRef, (t) => ({
  triggers: t.field({
    type: TriggerConnection,
    nullable: true,
    description: "Automations in the organization's registries and projects that the viewer can see.",
    args: { after: t.arg.string(), first: t.arg.int(), order: t.arg.string(), filters: t.arg({ type: 'JSONString' }) },
    resolve: async (org, args, ctx) => {
      const page = await automationsPage(
        ctx,
        { organizationId: org.id },
        afterId(args.after, 'Trigger'),
        pageSize(args.first, 100),
        args.filters,
      );
      return triggerPage(page.rows, page.hasNextPage);
    },
  }),
}));

const PayloadPreviewRef = builder.simpleObject('AutomationPayloadPreview', {
  description: "A webhook payload filled from the newest matching event; the team's secrets and the access token stay as written.",
  fields: (f) => ({
    body: f.string(),
    problem: f.string({ nullable: true, description: 'Why the payload is not JSON once filled in, when it is not.' }),
    eventAt: f.field({ type: 'DateTime', nullable: true, description: 'When that event happened; null when there is none yet.' }),
    eventSubject: f.string({ nullable: true, description: 'What the event was about (the version, or the collection).' }),
  }),
});

builder.objectFields(ProjectRef, (t) => ({
  automationPayloadPreview: t.field({
    type: PayloadPreviewRef,
    nullable: true,
    description:
      "A payload template filled from the project's newest event of a type (in one collection, when given); for those who manage its automations.",
    args: {
      eventType: t.arg({ type: EventTriggeringConditionType, required: true }),
      collectionId: t.arg.id(),
      requestPayload: t.arg.string(),
    },
    resolve: (project, args, ctx) =>
      previewPayload(ctx, project, { eventType: args.eventType, collectionId: args.collectionId, template: args.requestPayload }),
  }),
  triggers: t.field({
    type: [TriggerRef],
    description: "The project's automations (the registry's and its collections').",
    resolve: async (project, _args, ctx) => {
      const rows = await automationsOfProject(ctx, project.id);
      const visible = await Promise.all(rows.map((row) => canSeeAutomation(ctx, row)));
      return rows.filter((_row, i) => visible[i]);
    },
  }),
}));

builder.objectFields(UserRef, (t) => ({
  projects: t.field({
    type: ProjectConnection,
    nullable: true,
    description: "The user's own projects (for the viewer; null for anyone else).",
    args: { after: t.arg.string(), first: t.arg.int() },
    resolve: async (user, args, ctx) => {
      const viewer = ctx.viewer;
      if (!viewer || viewer.id !== user.id) return null;
      const entity = await entityLoader(ctx).load(viewer.entity_id);
      if (!entity) return null;
      return projectPage(ctx.db, viewer, entity, {
        order: { field: 'created_at', direction: 'asc' },
        after: decodeCursor(args.after, 'date'),
        first: pageSize(args.first),
        where: undefined,
      });
    },
  }),
}));

// ---- mutations

const GenericWebhookActionInput = builder.inputType('GenericWebhookActionInput', {
  fields: (t) => ({
    integrationID: t.id({ required: true }),
    requestPayload: t.string({
      required: false,
      description:
        'JSON with ${event_type}, ${event_author}, ${artifact_version}, ${artifact_version_string}, ${artifact_collection_name}, ${project_name}, ${entity_name}, ${ACCESS_TOKEN} and ${SECRET_NAME} filled in.',
    }),
  }),
});

const TriggeredActionConfig = builder.inputType('TriggeredActionConfig', {
  description: 'Exactly the one matching triggeredActionType: GENERIC_WEBHOOK or NO_OP here (the others are refused).',
  fields: (t) => ({
    genericWebhookActionInput: t.field({ type: GenericWebhookActionInput, required: false }),
    noOpActionInput: t.field({
      type: builder.inputType('NoOpTriggeredActionInput', { fields: (f) => ({ noOp: f.boolean({ required: false }) }) }),
      required: false,
    }),
    notificationActionInput: t.field({
      type: builder.inputType('NotificationActionInput', {
        fields: (f) => ({
          integrationID: f.id({ required: true }),
          message: f.string({ required: false }),
          severity: f.field({ type: AlertSeverity, required: false }),
          title: f.string({ required: false }),
        }),
      }),
      required: false,
    }),
    pushNotificationActionInput: t.field({
      type: builder.inputType('PushNotificationActionInput', {
        fields: (f) => ({ body: f.string({ required: false }), title: f.string({ required: false }), userID: f.id({ required: true }) }),
      }),
      required: false,
    }),
    queueJobActionInput: t.field({
      type: builder.inputType('QueueJobActionInput', {
        fields: (f) => ({ queueID: f.id({ required: true }), template: f.string({ required: true }) }),
      }),
      required: false,
    }),
  }),
});

const CreateFilterTriggerInput = builder.inputType('CreateFilterTriggerInput', {
  fields: (t) => ({
    clientMutationId: t.string({ required: false }),
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    enabled: t.boolean({ required: true }),
    eventFilter: t.field({
      type: 'JSONString',
      required: true,
      description: 'The registry filter language, on alias, tag, artifact_collection_name, project_name, event_author, version_index.',
    }),
    scopeID: t.id({ required: true }),
    scopeType: t.field({ type: TriggerScopeType, required: true }),
    triggeredActionConfig: t.field({ type: TriggeredActionConfig, required: true }),
    triggeredActionType: t.field({ type: TriggeredActionType, required: true }),
    triggeringEventType: t.field({ type: EventTriggeringConditionType, required: true }),
  }),
});

const UpdateFilterTriggerInput = builder.inputType('UpdateFilterTriggerInput', {
  fields: (t) => ({
    clientMutationId: t.string({ required: false }),
    id: t.id({ required: true }),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    enabled: t.boolean({ required: false }),
    eventFilter: t.field({ type: 'JSONString', required: false }),
    scopeID: t.id({ required: false }),
    scopeType: t.field({ type: TriggerScopeType, required: false }),
    triggeredActionConfig: t.field({ type: TriggeredActionConfig, required: false }),
    triggeredActionType: t.field({ type: TriggeredActionType, required: false }),
    triggeringEventType: t.field({ type: EventTriggeringConditionType, required: false }),
  }),
});

const TriggerPayload = (name: string) =>
  builder.simpleObject(name, {
    fields: (f) => ({ trigger: f.field({ type: TriggerRef, nullable: true }), clientMutationId: f.string({ nullable: true }) }),
  });

builder.mutationField('createFilterTrigger', (t) =>
  t.field({
    type: TriggerPayload('CreateFilterTriggerPayload'),
    nullable: true,
    description: "Creates an automation on a registry or collection. The registry's admins (a team project's: its team's admins).",
    args: { input: t.arg({ type: CreateFilterTriggerInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ trigger: await createAutomation(ctx, input), clientMutationId: input.clientMutationId }),
  }),
);

builder.mutationField('updateFilterTrigger', (t) =>
  t.field({
    type: TriggerPayload('UpdateFilterTriggerPayload'),
    nullable: true,
    description: 'Changes the fields given of an automation.',
    args: { input: t.arg({ type: UpdateFilterTriggerInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({
      trigger: await updateAutomation(ctx, input.id, input),
      clientMutationId: input.clientMutationId,
    }),
  }),
);

builder.mutationField('deleteTrigger', (t) =>
  t.field({
    type: builder.simpleObject('DeleteTriggerPayload', {
      fields: (f) => ({ success: f.boolean({ nullable: true }), clientMutationId: f.string({ nullable: true }) }),
    }),
    nullable: true,
    args: {
      input: t.arg({
        type: builder.inputType('DeleteTriggerInput', {
          fields: (f) => ({ triggerID: f.id({ required: true }), clientMutationId: f.string({ required: false }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      await deleteAutomation(ctx, input.triggerID);
      return { success: true, clientMutationId: input.clientMutationId };
    },
  }),
);

const CreateGenericWebhookIntegrationInput = builder.inputType('CreateGenericWebhookIntegrationInput', {
  fields: (t) => ({
    clientMutationId: t.string({ required: false }),
    entityName: t.string({ required: true, description: 'The team (or user) that owns the webhook.' }),
    name: t.string({ required: true }),
    urlEndpoint: t.string({
      required: true,
      description: 'http(s). Link-local and cloud metadata addresses are refused; private and loopback ones unless the server allows them.',
    }),
    secretRef: t.string({
      required: false,
      description: "The name of the team secret that signs deliveries (Standard Webhooks' webhook-signature).",
    }),
    accessTokenRef: t.string({ required: false, description: 'The name of the team secret sent as `Authorization: Bearer`.' }),
  }),
});

builder.mutationField('createGenericWebhookIntegration', (t) =>
  t.field({
    type: builder.simpleObject('CreateGenericWebhookIntegrationPayload', {
      fields: (f) => ({
        integration: f.field({ type: GenericWebhookIntegrationRef }),
        clientMutationId: f.string({ nullable: true }),
      }),
    }),
    nullable: true,
    description: "Creates a team's webhook. The team's admins.",
    args: { input: t.arg({ type: CreateGenericWebhookIntegrationInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ integration: await createWebhook(ctx, input), clientMutationId: input.clientMutationId }),
  }),
);

const SuccessPayload = builder.simpleObject('SecretPayload', { fields: (f) => ({ success: f.boolean() }) });

builder.mutationField('insertSecret', (t) =>
  t.field({
    type: SuccessPayload,
    nullable: true,
    description: "Saves (or replaces) a team secret, sealed at rest; its value is never shown again. The team's admins.",
    args: {
      input: t.arg({
        type: builder.inputType('InsertSecretInput', {
          fields: (f) => ({
            entityName: f.string({ required: true }),
            secretName: f.string({ required: true }),
            secretValue: f.string({ required: true }),
            clientMutationId: f.string({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      await saveSecret(ctx, input);
      return { success: true };
    },
  }),
);

builder.mutationField('deleteSecret', (t) =>
  t.field({
    type: SuccessPayload,
    nullable: true,
    description: "Deletes a team secret. The team's admins.",
    args: {
      input: t.arg({
        type: builder.inputType('DeleteSecretInput', {
          fields: (f) => ({
            entityName: f.string({ required: true }),
            secretName: f.string({ required: true }),
            clientMutationId: f.string({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => ({ success: await removeSecret(ctx, input) }),
  }),
);

// ---- the web app's: a webhook's changes and test, redelivery

builder.mutationField('updateGenericWebhookIntegration', (t) =>
  t.field({
    type: builder.simpleObject('UpdateGenericWebhookIntegrationPayload', {
      fields: (f) => ({ integration: f.field({ type: GenericWebhookIntegrationRef }), clientMutationId: f.string({ nullable: true }) }),
    }),
    nullable: true,
    description: "Changes the fields given of a team's webhook; an empty secretRef or accessTokenRef removes it. The team's admins.",
    args: {
      input: t.arg({
        type: builder.inputType('UpdateGenericWebhookIntegrationInput', {
          fields: (f) => ({
            id: f.id({ required: true }),
            name: f.string({ required: false }),
            urlEndpoint: f.string({ required: false }),
            secretRef: f.string({ required: false }),
            accessTokenRef: f.string({ required: false }),
            clientMutationId: f.string({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => ({ integration: await updateWebhook(ctx, input), clientMutationId: input.clientMutationId }),
  }),
);

builder.mutationField('deleteIntegration', (t) =>
  t.field({
    type: builder.simpleObject('DeleteIntegrationPayload', {
      fields: (f) => ({ success: f.boolean(), clientMutationId: f.string({ nullable: true }) }),
    }),
    nullable: true,
    description: "Deletes a team's webhook that no automation uses. The team's admins.",
    args: {
      input: t.arg({
        type: builder.inputType('DeleteIntegrationInput', {
          fields: (f) => ({ id: f.id({ required: true }), clientMutationId: f.string({ required: false }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      await deleteWebhook(ctx, input.id);
      return { success: true, clientMutationId: input.clientMutationId };
    },
  }),
);

builder.mutationField('testGenericWebhookIntegration', (t) =>
  t.field({
    type: builder.simpleObject('TestGenericWebhookIntegrationPayload', {
      description: 'What the webhook answered a sample message; error says why there was no answer.',
      fields: (f) => ({
        ok: f.boolean(),
        statusCode: f.int({ nullable: true }),
        durationMs: f.int(),
        responseExcerpt: f.string({ nullable: true }),
        error: f.string({ nullable: true }),
      }),
    }),
    nullable: true,
    description:
      "Sends a webhook a sample alias-added message now, signed and under the address policy, filled into requestPayload (or the default body). Nothing is recorded. The team's admins.",
    args: {
      input: t.arg({
        type: builder.inputType('TestGenericWebhookIntegrationInput', {
          fields: (f) => ({ id: f.id({ required: true }), requestPayload: f.string({ required: false }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      const outcome = await testWebhook(ctx, input.id, input.requestPayload);
      const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
      return { ok, ...outcome };
    },
  }),
);

builder.mutationField('redeliverDelivery', (t) =>
  t.field({
    type: builder.simpleObject('RedeliverDeliveryPayload', {
      fields: (f) => ({ delivery: f.field({ type: AutomationDeliveryRef }) }),
    }),
    nullable: true,
    description:
      'Queues a finished delivery again, due now, with the same webhook-id (receivers that kept it see a repeat). Those who manage its automation.',
    args: {
      input: t.arg({
        type: builder.inputType('RedeliverDeliveryInput', { fields: (f) => ({ id: f.id({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => ({ delivery: await redeliver(ctx, input.id) }),
  }),
);
