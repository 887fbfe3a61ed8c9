import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each module adds its types, queries and mutations to the builder.
import '../modules/auth/schema.js';
import '../modules/organization/schema.js';
import '../modules/registries/schema.js';
import '../modules/registries/registry-mutations.js';
import '../modules/registries/members-schema.js';
import '../modules/artifacts/schema.js';
import '../modules/runs/schema.js';
import '../modules/collections/schema.js';
import '../modules/collections/links.js';
import '../modules/collections/artifact-fields.js';
import '../modules/collections/registry-lists.js';
import '../modules/collections/mutations.js';
import '../modules/collections/summary.js';
import '../modules/teams/schema.js';

let schema: GraphQLSchema | undefined;

export function getSchema(): GraphQLSchema {
  schema ??= builder.toSchema();
  return schema;
}

/** The SDL committed as schema.graphql; the client's types are generated from it. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}
