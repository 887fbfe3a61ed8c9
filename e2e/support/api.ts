import { randomBytes } from 'node:crypto';
import type { GraphQLResult, TestApp } from '../../tests/support/app';
import { logArtifact, type LogArtifactOptions, type LoggedArtifact } from '../../tests/support/logging';
import { E2E_API_KEY } from './constants';

/**
 * Seeds the e2e server through its public API over HTTP (GraphQL with an API key, file PUTs), the
 * way the SDK and scripts reach it: specs set up what they need without touching the database.
 */
export class Api implements Pick<TestApp, 'gql' | 'request'> {
  constructor(private readonly baseURL: string) {}

  request(pathname: string, init?: RequestInit): Promise<Response> {
    return fetch(new URL(pathname, this.baseURL), init);
  }

  async gql(
    query: string,
    variables?: Record<string, unknown>,
    options: { key?: string | null; operationName?: string } = {},
  ): Promise<GraphQLResult> {
    const key = options.key === undefined ? E2E_API_KEY : options.key;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.authorization = `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;
    const response = await this.request('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables, operationName: options.operationName }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphQLResult, 'status'>) };
  }

  /** Runs a document and returns its data; any GraphQL error fails the spec with its message. */
  async data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key?: string): Promise<T> {
    const res = await this.gql(query, variables, key === undefined ? {} : { key });
    if (res.errors?.length || !res.data) throw new Error(`GraphQL failed: ${res.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
    return res.data as T;
  }

  /** Logs a committed version through the SDK's write path. */
  logVersion(options: LogArtifactOptions): Promise<LoggedArtifact> {
    return logArtifact(this, options);
  }

  /** A user of the organization who signs in with `password`. */
  async createUser(username: string, options: { orgRole?: 'admin' | 'member' | 'viewer'; password?: string } = {}) {
    const password = options.password ?? `pw-${username}-123456`;
    await this.data(`mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`, {
      input: { username, password, orgRole: options.orgRole ?? 'member', email: `${username}@example.com`, name: username },
    });
    return { username, password };
  }

  /** A team with the given members (team role `member`). */
  async createTeam(name: string, members: string[] = []): Promise<void> {
    await this.data(`mutation ($name: String!) { createTeam(input: { name: $name }) { entity { id } } }`, { name });
    for (const username of members) {
      await this.data(`mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { __typename } }`, {
        input: { teamName: name, username, role: 'member' },
      });
    }
  }

  /** A custom registry (`restricted` or organization-visible), created as the admin. */
  async createRegistry(name: string, options: { restricted?: boolean; types?: string[]; description?: string } = {}): Promise<void> {
    await this.data(`mutation ($input: UpsertModelInput!) { upsertModel(input: $input) { inserted } }`, {
      input: {
        name: `wandb-registry-${name}`,
        entityName: 'acme',
        description: options.description ?? `The ${name} registry`,
        access: options.restricted ? 'RESTRICTED' : 'PRIVATE',
        allowAllArtifactTypesInRegistry: !options.types,
        artifactTypes: options.types?.map((type) => ({ name: type })) ?? [],
      },
    });
  }

  /** Links a logged version into `registry/collection` with aliases; returns its vN there. */
  async link(artifactId: string, registry: string, collection: string, aliases: string[] = []): Promise<number> {
    const data = await this.data<{ linkArtifact: { versionIndex: number } }>(
      `mutation ($input: LinkArtifactInput!) { linkArtifact(input: $input) { versionIndex } }`,
      {
        input: {
          artifactID: artifactId,
          artifactPortfolioName: collection,
          entityName: 'acme',
          projectName: `wandb-registry-${registry}`,
          aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
        },
      },
    );
    return data.linkArtifact.versionIndex;
  }
}

/** A name no other spec (or earlier run on the same server) uses. */
export const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
