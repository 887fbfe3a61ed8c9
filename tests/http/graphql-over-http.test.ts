import { serverAudits, type Audit } from 'graphql-http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN, ADMIN_KEY, createTestApp, ORG, type TestApp } from '../support/app.js';

const GRAPHQL_URL = 'http://registry.test/graphql';
/** The limits server/graphql/yoga.ts configures. */
const MAX_DEPTH = 16;
const MAX_ALIASES = 30;
const MAX_BODY = 1024 * 1024;

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// The audits are listed when the file is collected; they call the app only when they run.
const audits = serverAudits({
  url: GRAPHQL_URL,
  fetchFn: (input: RequestInfo | URL, init?: RequestInit) => t.app.fetch(new Request(input, init)),
});

async function runAudit(audit: Audit): Promise<void> {
  const result = await audit.fn();
  const detail =
    result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason} (HTTP ${result.response.status}: ${await result.response.text()})`;
  expect(detail).toBe('ok');
}

describe('GraphQL over HTTP (graphql-http audits)', () => {
  it('lists the audits', () => {
    expect(audits.filter((a) => a.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });

  describe('MUST', () => {
    for (const audit of audits.filter((a) => a.name.startsWith('MUST'))) {
      it(`${audit.id} ${audit.name}`, () => runAudit(audit));
    }
  });

  // Recommendations: they all pass today, so they are held to as well.
  describe('SHOULD and MAY', () => {
    for (const audit of audits.filter((a) => !a.name.startsWith('MUST'))) {
      it(`${audit.id} ${audit.name}`, () => runAudit(audit));
    }
  });
});

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Body }> {
  const response = await t.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

describe('operationName', () => {
  it('"" with a single-operation document is treated as absent (the SDK sends it)', async () => {
    const query = 'query OnlyOne { __typename }';
    const res = await post({ query, operationName: '' });
    expect(res).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });

    const get = await t.request(`/graphql?query=${encodeURIComponent(query)}&operationName=`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('"" with several operations is the usual "which one?" error, not a guess', async () => {
    const res = await post({ query: 'query A { __typename } query B { __typename }', operationName: '' });
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toMatch(/Could not determine what operation to execute/);
  });

  it('a named operation is still chosen by its name', async () => {
    const res = await post({ query: 'query A { a: __typename } query B { b: __typename }', operationName: 'B' });
    expect(res).toEqual({ status: 200, body: { data: { b: 'Query' } } });
  });
});

describe('query limits', () => {
  const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

  /** `organization { orgEntity { organization { ... name } } }`: `depth` levels of fields. */
  function nested(depth: number): string {
    let selection = 'name';
    for (let level = depth - 1; level >= 2; level--) {
      selection = level % 2 === 0 ? `orgEntity { ${selection} }` : `organization { ${selection} }`;
    }
    return `{ organization(name: "${ORG}") { ${selection} } }`;
  }

  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { username }`).join(' ')} }`;

  it(`a query ${MAX_DEPTH} fields deep runs`, async () => {
    const res = await post({ query: nested(MAX_DEPTH) }, asAdmin);
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.data?.organization).toMatchObject({ orgEntity: { organization: { orgEntity: {} } } });
  });

  it('a query deeper than the limit is a validation error naming the limit, with no data', async () => {
    const res = await post({ query: nested(MAX_DEPTH + 1) }, asAdmin);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`depth limit of ${MAX_DEPTH} exceeded, found ${MAX_DEPTH + 1}`, 'i'));
    // Like any document that fails validation: 400 for graphql-response+json, 200 for legacy application/json.
    expect(res.status).toBe(400);
    const legacy = await t.gql(nested(MAX_DEPTH + 1));
    expect(legacy.status).toBe(200);
    expect(legacy.data).toBeUndefined();
    expect(legacy.errors?.[0]?.message).toMatch(/depth limit of 16/);
  });

  it(`${MAX_ALIASES} aliases run`, async () => {
    const res = await post({ query: aliases(MAX_ALIASES) }, asAdmin);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data ?? {})).toHaveLength(MAX_ALIASES);
  });

  it('a query with too many aliases is a validation error naming the limit, with no data', async () => {
    const res = await post({ query: aliases(MAX_ALIASES + 1) }, asAdmin);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`aliases limit of ${MAX_ALIASES} exceeded, found ${MAX_ALIASES + 1}`, 'i'));
    expect(res.status).toBe(400);
  });

  it('a document with too many tokens is refused before it is even parsed', async () => {
    const res = await post({ query: `{ ${'__typename '.repeat(6000)}}` });
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toMatch(/Token limit of 5000 exceeded/);
    expect(res.status).toBe(400);
  });
});

describe('request body limit', () => {
  const padding = (bytes: number) => JSON.stringify({ query: '{ __typename }', extensions: { pad: 'x'.repeat(bytes) } });

  async function expect413(response: Response): Promise<void> {
    expect(response.status).toBe(413);
    const body = (await response.json()) as Body;
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors?.[0]?.message).toContain(String(MAX_BODY));
  }

  it('a body over 1 MiB is 413 PAYLOAD_TOO_LARGE', async () => {
    await expect413(
      await t.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: padding(MAX_BODY) }),
    );
  });

  it('a declared content-length over 1 MiB is 413 before the body is read', async () => {
    await expect413(
      await t.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY + 1) },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
    );
  });

  it('a streamed body over 1 MiB (no content-length) is 413 as well', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    };
    await expect413(await t.request('/graphql', init));
  });

  it('applies to the sign-in route too', async () => {
    await expect413(
      await t.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
        body: JSON.stringify({ username: ADMIN, password: 'x'.repeat(MAX_BODY) }),
      }),
    );
  });

  it('a body just under the limit is accepted', async () => {
    const body = padding(MAX_BODY - 200);
    expect(new TextEncoder().encode(body).byteLength).toBeLessThanOrEqual(MAX_BODY);
    const response = await t.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('unexpected errors', () => {
  /** No stack frame, source path or dependency path in what the client sees. */
  function expectNoLeak(text: string): void {
    expect(text).not.toMatch(/\bat\s+(?:async\s+)?[\w.<>[\]]*\s*\(?(?:file:|\/|node:)/);
    expect(text).not.toMatch(/(?:\\n|\n)\s+at /);
    expect(text).not.toContain('node_modules');
    expect(text).not.toMatch(/\.[cm]?[jt]s:\d+/);
    expect(text).not.toMatch(/"stack"/);
  }

  async function expectGenericError(response: Response, name: string, status: number, data: unknown = null): Promise<void> {
    const text = await response.text();
    expectNoLeak(text);
    const body = JSON.parse(text) as Body;
    expect(body.errors?.[0]?.message, name).toBe('Unexpected error.');
    expect(body.errors?.[0]?.message, name).not.toMatch(/relation|database|destroyed|organizations|projects/i);
    expect(body.data ?? null, name).toEqual(data);
    expect(response.status, name).toBe(status);
  }

  it('a crash in a resolver or around it is a generic error with no stack trace', async () => {
    const broken = await createTestApp();
    // The server logs the real errors; keep the test output quiet.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // Authentication still works, the project lookup fails: the error is raised inside GraphQL.
      await sql`drop table projects cascade`.execute(broken.db);
      await expectGenericError(
        await broken.app.fetch(
          new Request(GRAPHQL_URL, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/graphql-response+json',
              authorization: `Bearer ${ADMIN_KEY}`,
            },
            body: JSON.stringify({ query: `{ project(name: "registry", entityName: "${ORG}") { name } }` }),
          }),
        ),
        'resolver crash',
        200,
        // The nullable field is null, as for any field error.
        { project: null },
      );

      // The database is gone: authentication fails before GraphQL, the app's catch-all answers.
      await broken.db.destroy();
      await expectGenericError(
        await broken.app.fetch(
          new Request(GRAPHQL_URL, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
            body: JSON.stringify({ query: '{ viewer { username } }' }),
          }),
        ),
        'viewer with a key, no database',
        500,
      );
      await expectGenericError(
        await broken.app.fetch(
          new Request('http://registry.test/api/auth/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: 'http://registry.test' },
            body: JSON.stringify({ username: ADMIN, password: 'whatever password' }),
          }),
        ),
        'sign-in, no database',
        500,
      );
    } finally {
      consoleError.mockRestore();
      await broken.close();
    }
  });
});
