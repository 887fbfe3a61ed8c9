/**
 * How seeding reaches a registry: GraphQL and plain requests through one `request` function, so the
 * same seeding code runs against an in-process app (Vitest, the demo) and a server over HTTP (Playwright).
 */

/** A GraphQL answer with its HTTP status. */
export interface GraphQLResult {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface GqlOptions {
  /** API key to send (the client's own by default; null: anonymous). */
  key?: string | null;
  operationName?: string;
}

export interface SeedClient {
  /** The app's own origin: what browser-only routes (sign-in) must see in `Origin`. */
  readonly origin: string;
  /** The API key requests send unless told otherwise. */
  readonly key: string;
  gql(query: string, variables?: Record<string, unknown>, options?: GqlOptions): Promise<GraphQLResult>;
  request(pathname: string, init?: RequestInit): Promise<Response>;
}

export const basicAuth = (key: string) => `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;

function client(origin: string, key: string, request: (pathname: string, init?: RequestInit) => Promise<Response>): SeedClient {
  return {
    origin,
    key,
    request,
    async gql(query, variables, options = {}) {
      const sent = options.key === undefined ? key : options.key;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sent !== null) headers.authorization = basicAuth(sent);
      const response = await request('/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables, operationName: options.operationName }),
      });
      return { status: response.status, ...((await response.json()) as Omit<GraphQLResult, 'status'>) };
    },
  };
}

/** An app served in this process (`app.fetch`), reached as if at `origin`. */
export function inProcessClient(
  app: { fetch(request: Request): Response | Promise<Response> },
  options: { key: string; origin: string },
): SeedClient {
  return client(options.origin, options.key, async (pathname, init) => app.fetch(new Request(`${options.origin}${pathname}`, init)));
}

/** A server over HTTP at `baseURL`. */
export function httpClient(baseURL: string, key: string): SeedClient {
  return client(new URL(baseURL).origin, key, (pathname, init) => fetch(new URL(pathname, baseURL), init));
}

/** The same server as another user (by API key). */
export function asUser(seed: SeedClient, key: string): SeedClient {
  return client(seed.origin, key, (pathname, init) => seed.request(pathname, init));
}

/** Runs a document and returns its data; any GraphQL error throws with its messages. */
export async function data<T = Record<string, unknown>>(
  seed: SeedClient,
  query: string,
  variables?: Record<string, unknown>,
  options?: GqlOptions,
): Promise<T> {
  const res = await seed.gql(query, variables, options);
  if (res.errors?.length || !res.data) {
    const name = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? query.slice(0, 60);
    throw new Error(`${name} failed: ${res.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  }
  return res.data as T;
}

/** The number in a GraphQL id (base64 `Type:N`). */
export function idNumber(id: string): number {
  return Number(/:(-?\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'))?.[1]);
}

/** The GraphQL id of a row (base64 `Type:N`). */
export const graphqlId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

/** The organization every test server and e2e server starts with. */
export const DEFAULT_ORG = 'acme';

/** The project a registry is stored as. */
export const registryProject = (registry: string) => `wandb-registry-${registry}`;
