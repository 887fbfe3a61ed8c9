import SchemaBuilder, { type ObjectRef } from '@pothos/core';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import { GraphQLScalarType, Kind, type DirectiveNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import type { DB } from '../db/database.js';
import type { User } from '../db/tables.js';
import type { LoaderRegistry } from './context-loaders.js';
import type { BlobStore } from '../storage/blobs.js';

/** Server configuration that rules read: the key team secrets are sealed with, and the webhook address policy. */
export interface ServerSettings {
  /** 32 bytes (AES-256-GCM), read (or made) on first use. */
  secretsKey: () => Buffer;
  /** Whether webhooks may go to private and loopback addresses (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
  /** The largest file accepted (MAX_UPLOAD_BYTES), also when it is joined from parts. */
  maxUploadBytes?: number;
}

export interface Context {
  db: DB;
  /** Absent outside GraphQL requests (file routes); the rules that need it say so. */
  settings?: ServerSettings;
  /** The signed-in user, or null for an anonymous caller. */
  viewer: User | null;
  /** This request's DataLoaders (see context-loaders.ts). */
  loaders: LoaderRegistry;
  /** The session cookie's token when the viewer came by session. */
  sessionToken?: string;
  /** The client's address, for throttling password checks. */
  clientAddress?: string;
  /** Where people reach this server (`https://registry.example.com`), for links the API hands out. */
  origin?: string;
  /** The blob store; with `direct` (S3), transfer URLs are presigned URLs to it instead of `/files/` routes. */
  store?: BlobStore;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  // Fields are non-null unless they say otherwise, as in W&B's schema.
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSONString: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
    Int64: { Input: number; Output: number };
  };
}>({ plugins: [SimpleObjectsPlugin], defaultFieldNullability: false });

export type Types = typeof builder.$inferSchemaTypes;

builder.queryType({});
builder.mutationType({});

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType<Date, string>({
    name: 'DateTime',
    description: 'An RFC 3339 timestamp.',
    serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
    parseValue: (value) => {
      const date = new Date(String(value));
      if (Number.isNaN(date.getTime())) throw new TypeError(`"${String(value)}" is not an RFC 3339 timestamp.`);
      return date;
    },
  }),
);

builder.addScalarType(
  'JSONString',
  new GraphQLScalarType<string, string>({
    name: 'JSONString',
    description: 'A JSON document encoded as a string (filters, metadata).',
    serialize: (value) => String(value),
    parseValue: (value) => {
      if (typeof value !== 'string') throw new TypeError('A JSONString is a string holding JSON.');
      return value;
    },
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new TypeError('A JSONString is a string holding JSON.');
      return ast.value;
    },
  }),
);

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.scalarType('Int64', {
  description: 'A 64-bit integer (sizes in bytes).',
  serialize: (value) => Number(value),
  parseValue: (value) => Number(value),
});

/** Relay page info; cursors are keyset cursors (see cursor.ts). */
export interface PageInfoShape {
  endCursor: string | null;
  hasNextPage: boolean;
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  fields: (t) => ({
    endCursor: t.exposeString('endCursor', { nullable: true }),
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.boolean({ nullable: true, resolve: () => false }),
    startCursor: t.string({ nullable: true, resolve: () => null }),
  }),
});

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  hasNextPage: boolean;
  /** Counted only when the query asks for it. */
  totalCount?: () => Promise<number>;
}

/** Defines `<Name>Connection` and `<Name>Edge` for a node type, in the W&B shape. */
export function connection<T>(name: string, node: ObjectRef<Types, T>, options: { totalCount?: boolean } = {}) {
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.expose('node', { type: node }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      pageInfo: t.field({
        type: PageInfo,
        resolve: (page) => ({ endCursor: page.edges.at(-1)?.cursor ?? null, hasNextPage: page.hasNextPage }),
      }),
      edges: t.field({ type: [Edge], resolve: (page) => page.edges }),
      ...(options.totalCount
        ? { totalCount: t.int({ resolve: (page) => (page.totalCount ? page.totalCount() : page.edges.length) }) }
        : {}),
    }),
  });
}

/** Whether the query selects `name` directly on the field being resolved (through fragments too). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (selections: readonly SelectionNode[]): boolean =>
    selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name;
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet.selections);
      const fragment = info.fragments[s.name.value];
      return fragment ? visit(fragment.selectionSet.selections) : false;
    });
  return info.fieldNodes.some((node) => (node.selectionSet ? visit(node.selectionSet.selections) : false));
}

/** Whether @include/@skip leave a selection in, given the request's variables. */
function included(directives: readonly DirectiveNode[] | undefined, variables: Record<string, unknown>): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'include' && name !== 'skip') continue;
    const arg = directive.arguments?.find((a) => a.name.value === 'if')?.value;
    const value = arg?.kind === Kind.BOOLEAN ? arg.value : arg?.kind === Kind.VARIABLE ? Boolean(variables[arg.name.value]) : true;
    if (name === 'include' ? !value : value) return false;
  }
  return true;
}

/**
 * Whether the query selects the field path below the field being resolved (e.g. edges → node →
 * artifact → aliases), through fragments and honouring @include/@skip: list queries fetch what
 * only some documents ask for (a version's aliases in every collection) only when asked.
 */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  const variables = info.variableValues;
  const visit = (selections: readonly SelectionNode[], depth: number): boolean =>
    selections.some((s) => {
      if (!included(s.directives, variables)) return false;
      if (s.kind === Kind.FIELD) {
        if (s.name.value !== path[depth]) return false;
        if (depth === path.length - 1) return true;
        return s.selectionSet ? visit(s.selectionSet.selections, depth + 1) : false;
      }
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet.selections, depth);
      const fragment = info.fragments[s.name.value];
      return fragment ? visit(fragment.selectionSet.selections, depth) : false;
    });
  return info.fieldNodes.some((node) => (node.selectionSet ? visit(node.selectionSet.selections, 0) : false));
}
