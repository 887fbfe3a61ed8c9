import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { DB } from '../db/database.js';
import type { User } from '../db/tables.js';
import type { Context } from './builder.js';
import { createLoaders } from './loaders.js';
import { getSchema } from './schema.js';

/** What the HTTP layer hands to each GraphQL request. */
export interface ServerContext {
  viewer: User | null;
}

/** The SDK's Go sidecar sends `"operationName": ""`; GraphQL over HTTP means "absent" by that. */
const emptyOperationNameIsAbsent: Plugin = {
  onParams({ params, setParams }) {
    if (params.operationName === '') setParams({ ...params, operationName: undefined });
  },
};

export function createGraphQL(db: DB) {
  return createYoga<ServerContext, Context>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Registry GraphQL' },
    renderGraphiQL,
    // Unexpected errors become "Unexpected error." with no stack; user errors keep their message and code.
    maskedErrors: { isDev: false },
    logging: 'warn',
    context: ({ viewer }) => ({ db, viewer, loaders: createLoaders(db) }),
    plugins: [
      emptyOperationNameIsAbsent,
      // Limits sized so the SDK's deepest documents pass with room to spare.
      EnvelopArmorPlugin({
        maxDepth: { n: 16, exposeLimits: true, flattenFragments: true },
        maxAliases: { n: 30, exposeLimits: true },
        costLimit: { maxCost: 20000, exposeLimits: true },
        maxTokens: { n: 5000, exposeLimits: true },
        maxDirectives: { n: 50, exposeLimits: true },
        // Field suggestions help people fix their queries; the schema is public anyway.
        blockFieldSuggestion: { enabled: false },
      }),
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
