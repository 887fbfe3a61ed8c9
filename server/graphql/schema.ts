import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each module adds its types, queries and mutations to the builder, foundation first.
import '../modules/auth/schema.js';
import '../modules/organization/schema.js';
import '../modules/teams/schema.js';
import '../modules/registries/schema.js';
import '../modules/registries/schema-mutations.js';
import '../modules/registries/schema-members.js';
import '../modules/collections/schema.js';
import '../modules/collections/schema-links.js';
import '../modules/collections/schema-versions.js';
import '../modules/collections/schema-registry-lists.js';
import '../modules/collections/schema-mutations.js';
import '../modules/collections/schema-summary.js';
import '../modules/collections/schema-search.js';
import '../modules/artifacts/schema.js';
import '../modules/artifacts/schema-mutations.js';
import '../modules/runs/schema.js';
import '../modules/automations/schema.js';

let schema: GraphQLSchema | undefined;

export function getSchema(): GraphQLSchema {
  schema ??= builder.toSchema();
  return schema;
}

/** The SDL committed as schema.graphql; the client's types are generated from it. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}
