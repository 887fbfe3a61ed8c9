import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useGraphQlJit } from '@envelop/graphql-jit';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { DB } from '../db/database.js';
import type { Entity, Organization, User } from '../db/tables.js';
import type { Context, ServerSettings } from '../graphql/builder.js';
import { maskError } from '../graphql/errors.js';
import { GRAPHIQL_OPTIONS, graphiqlPage } from './graphiql.js';
import { getSchema } from '../graphql/schema.js';
import { log } from '../observability/log.js';
import { useStorableText } from '../graphql/storable-text.js';
import { entityLoader, organizationLoader } from '../modules/organization/loaders.js';
import type { BlobStore } from '../storage/blobs.js';

/** What the HTTP layer hands to each GraphQL request. */
export interface ServerContext {
  viewer: User | null;
  /** The viewer's organization and its entity, read by the authentication statement. */
  viewerOrganization: { organization: Organization; orgEntity: Entity | undefined } | null;
  /** The session cookie's token when the viewer came by session (a password change keeps that session). */
  sessionToken: string | undefined;
  /** For throttling password checks (see auth/sign-in.ts). */
  clientAddress: string;
  /** Filled in while the request runs, for its log line and metrics (app.ts). */
  trace?: RequestTrace;
}

/** What the request log and the metrics learn of a GraphQL request. */
export interface RequestTrace {
  operation?: string;
  /** The answer carried errors. */
  failed?: boolean;
}

/** Names the operation in the request's trace, and marks an answer with errors. */
const traceOperations: Plugin<Record<string, unknown>, ServerContext> = {
  onParams({ params, context }) {
    if (!context.trace) return;
    // The document's first operation name when the request names none (one regex over bounded text).
    context.trace.operation = params.operationName ?? /\b(?:query|mutation|subscription)\s+(\w+)/.exec(params.query ?? '')?.[1];
  },
  onResultProcess({ result, serverContext }) {
    if (!serverContext.trace) return;
    const results = Array.isArray(result) ? result : [result];
    serverContext.trace.failed = results.some((r) => 'errors' in r && Array.isArray(r.errors) && r.errors.length > 0);
  },
};

/** The SDK's Go sidecar sends `"operationName": ""`; GraphQL over HTTP means "absent" by that. */
const emptyOperationNameIsAbsent: Plugin = {
  onParams({ params, setParams }) {
    if (params.operationName === '') setParams({ ...params, operationName: undefined });
  },
};

/**
 * Armor throws a limit violation out of validation by default, so it reaches the client as an ordinary
 * error with HTTP 200. Reported as a validation error it is one: HTTP 400 for
 * application/graphql-response+json, as GraphQL over HTTP asks for any document that fails validation.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** The origin people reach this server at, for links the API hands out (as the session cookie reads it). */
function publicOrigin(request: Request): string {
  const url = new URL(request.url);
  if (request.headers.get('x-forwarded-proto') === 'https') url.protocol = 'https:';
  return url.origin;
}

export function createGraphQL(db: DB, settings: ServerSettings, store?: BlobStore) {
  return createYoga<ServerContext, Context>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: GRAPHIQL_OPTIONS,
    renderGraphiQL: () => graphiqlPage().html,
    // Browser access is decided in app.ts (same origin plus CORS_ORIGINS); yoga's default echoes any Origin.
    cors: false,
    // Unexpected errors become "Unexpected error." with no stack; user errors keep their message and code,
    // and so do values the database refused (maskError says why).
    maskedErrors: { isDev: false, maskError },
    // Yoga's own messages (unexpected resolver errors above all) go to the server's log.
    logging: {
      debug: (...args: unknown[]) => log.debug({ detail: args.map(String) }, 'graphql'),
      info: (...args: unknown[]) => log.info({ detail: args.map(String) }, 'graphql'),
      warn: (...args: unknown[]) => log.warn({ detail: args.map(String) }, 'graphql'),
      error: (...args: unknown[]) => log.error({ err: args.find((a) => a instanceof Error), detail: args.map(String) }, 'graphql'),
    },
    context: ({ viewer, viewerOrganization, sessionToken, clientAddress, request }) => {
      const ctx: Context = { db, settings, viewer, loaders: new Map(), sessionToken, clientAddress, origin: publicOrigin(request), store };
      // Known already: `organization(name:)` and `orgEntity` of the viewer's own organization read no row.
      if (viewerOrganization) {
        organizationLoader(ctx).prime(viewerOrganization.organization.id, viewerOrganization.organization);
        if (viewerOrganization.orgEntity) entityLoader(ctx).prime(viewerOrganization.orgEntity.id, viewerOrganization.orgEntity);
      }
      return ctx;
    },
    plugins: [
      emptyOperationNameIsAbsent,
      traceOperations,
      // Text the database cannot store never reaches a resolver.
      useStorableText(),
      // Each document is compiled once into a function specialised to its selections (decision 0003).
      useGraphQlJit(),
      // Limits sized so the SDK's deepest documents pass with room to spare.
      EnvelopArmorPlugin({
        maxDepth: { n: 16, exposeLimits: true, flattenFragments: true, ...asValidationError },
        maxAliases: { n: 30, exposeLimits: true, ...asValidationError },
        // Cost grows by depthCostFactor per level; 1.2 keeps deep-but-narrow SDK documents well under the cap.
        costLimit: { maxCost: 50_000, depthCostFactor: 1.2, exposeLimits: true, ...asValidationError },
        // Counted while parsing, so it stays a thrown syntax error (already a 400 like any parse error).
        maxTokens: { n: 5000, exposeLimits: true },
        maxDirectives: { n: 50, exposeLimits: true, ...asValidationError },
        // Field suggestions help people fix their queries; the schema is public anyway.
        blockFieldSuggestion: { enabled: false },
      }),
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
