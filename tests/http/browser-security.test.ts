import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import { startServer } from '../../server/main.js';
import { ADMIN, ADMIN_KEY, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/app.js';
import { logArtifact } from '../../seed/sdk-logging.js';
import { sdkDocument } from '../../seed/sdk-operations.js';

const OWN = 'http://registry.test';
const EVIL = 'http://evil.example';
/** Another port of the same host: a different origin, as in the measured attack. */
const SAME_HOST_OTHER_PORT = 'http://registry.test:8081';
const CONFIGURED = 'https://notebooks.example.com';
const VIEWER = '{ viewer { username } }';
const GENERATE_KEY = 'mutation { generateApiKey(input: { description: "from a page" }) { key } }';

interface Body {
  data?: { viewer?: { username: string } | null; generateApiKey?: { key: string } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let t: TestApp;
/** The same database served with CORS_ORIGINS set, and a web directory holding a stray source map. */
let configured: App;
let webDir: string;
let cookie: string;

async function signIn(app: App = t.app): Promise<string> {
  const response = await app.fetch(
    new Request(`${OWN}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', origin: OWN },
      body: JSON.stringify({ username: ADMIN, password: ADMIN_PASSWORD }),
    }),
  );
  expect(response.status, await response.clone().text()).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function post(query: string, headers: Record<string, string>, app: App = t.app): Promise<{ response: Response; body: Body }> {
  const response = await app.fetch(
    new Request(`${OWN}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    }),
  );
  return { response, body: (await response.json()) as Body };
}

async function apiKeyCount(): Promise<number> {
  const row = await t.db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  t = await createTestApp();
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-web-'));
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  fs.writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log(1);');
  fs.writeFileSync(path.join(webDir, 'assets', 'app.js.map'), '{"sources":["secret.tsx"]}');
  configured = createApp(t.db, { maxBodyBytes: 1024 * 1024, webDir, dataDir: t.dataDir, corsOrigins: [CONFIGURED] });
  cookie = await signIn();
});
afterAll(async () => {
  await t.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

describe('CORS preflight', () => {
  it('refuses a foreign origin: no Access-Control-Allow-* headers, whatever it asks for', async () => {
    for (const origin of [EVIL, SAME_HOST_OTHER_PORT, 'null']) {
      for (const app of [t.app, configured]) {
        const response = await app.fetch(
          new Request(`${OWN}/graphql`, {
            method: 'OPTIONS',
            headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-registry-csrf' },
          }),
        );
        expect(response.status, origin).toBe(403);
        for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-headers']) {
          expect(response.headers.get(name), `${origin} ${name}`).toBeNull();
        }
        expect(((await response.json()) as Body).errors?.[0]?.message).toContain('CORS_ORIGINS');
      }
    }
  });

  it('grants a configured origin exactly, with credentials and the CSRF header', async () => {
    const response = await configured.fetch(
      new Request(`${OWN}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin: CONFIGURED,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-registry-csrf',
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONFIGURED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-registry-csrf');
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('applies to the sign-in route too', async () => {
    const evil = await t.app.fetch(
      new Request(`${OWN}/api/auth/login`, { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'POST' } }),
    );
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the session cookie counts only from the app (or a configured origin)', () => {
  it('refuses a foreign Origin reading viewer and generating a key, even with the CSRF header', async () => {
    const before = await apiKeyCount();
    const cases: Record<string, string>[] = [
      { origin: EVIL },
      { origin: SAME_HOST_OTHER_PORT },
      { origin: 'null' },
      { origin: EVIL, 'sec-fetch-site': 'cross-site' },
      // Sec-Fetch-Site is set by the browser itself, so it outranks an Origin that happens to match.
      { origin: OWN, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of cases) {
      for (const query of [VIEWER, GENERATE_KEY]) {
        const { response, body } = await post(query, { cookie, 'x-registry-csrf': '1', ...headers });
        expect(response.status, JSON.stringify(headers)).toBe(403);
        expect(body.data).toBeUndefined();
        expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(body.errors?.[0]?.message).toMatch(/must come from this app's own pages/);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      }
    }
    expect(await apiKeyCount()).toBe(before);
  });

  it('refuses the cookie without any Origin, on POST and on GET', async () => {
    const { response, body } = await post(VIEWER, { cookie, 'x-registry-csrf': '1' });
    expect(response.status).toBe(403);
    expect(body.errors?.[0]?.message).toContain('"Origin" header is missing');
    const get = await t.request(`/graphql?query=${encodeURIComponent(VIEWER)}`, { headers: { cookie, 'x-registry-csrf': '1' } });
    expect(get.status).toBe(403);
  });

  it('refuses the cookie without the CSRF header, also for reads', async () => {
    const { response, body } = await post(VIEWER, { cookie, origin: OWN });
    expect(response.status).toBe(403);
    expect(body.errors?.[0]?.message).toContain('x-registry-csrf: 1');
    const get = await t.request(`/graphql?query=${encodeURIComponent(VIEWER)}`, {
      headers: { cookie, origin: OWN, 'sec-fetch-site': 'same-origin' },
    });
    expect(get.status).toBe(403);
  });

  it('accepts the app itself: its Origin, or Sec-Fetch-Site same-origin on a GET without Origin', async () => {
    const fromApp: Record<string, string>[] = [{ origin: OWN }, { origin: OWN, 'sec-fetch-site': 'same-origin' }];
    for (const headers of fromApp) {
      const { response, body } = await post(VIEWER, { cookie, 'x-registry-csrf': '1', ...headers });
      expect(response.status, JSON.stringify(headers)).toBe(200);
      expect(body.data?.viewer).toEqual({ username: ADMIN });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    const get = await t.request(`/graphql?query=${encodeURIComponent(VIEWER)}`, {
      headers: { accept: 'application/graphql-response+json', cookie, 'x-registry-csrf': '1', 'sec-fetch-site': 'same-origin' },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as Body).data?.viewer).toEqual({ username: ADMIN });
  });

  it('accepts the https origin behind a TLS-terminating proxy', async () => {
    const { response } = await post(VIEWER, {
      cookie,
      'x-registry-csrf': '1',
      origin: 'https://registry.test',
      'x-forwarded-proto': 'https',
    });
    expect(response.status).toBe(200);
    const plain = await post(VIEWER, { cookie, 'x-registry-csrf': '1', origin: 'https://registry.test' });
    expect(plain.response.status).toBe(403);
  });

  it('accepts a configured origin and answers it with its CORS headers', async () => {
    const { response, body } = await post(
      VIEWER,
      { cookie, 'x-registry-csrf': '1', origin: CONFIGURED, 'sec-fetch-site': 'cross-site' },
      configured,
    );
    expect(response.status).toBe(200);
    expect(body.data?.viewer).toEqual({ username: ADMIN });
    expect(response.headers.get('access-control-allow-origin')).toBe(CONFIGURED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    // Another foreign origin is still refused by the configured server.
    expect((await post(VIEWER, { cookie, 'x-registry-csrf': '1', origin: EVIL }, configured)).response.status).toBe(403);
  });

  it('refuses a sign-in from a foreign page or without Origin (login CSRF), setting no cookie', async () => {
    const foreign: Record<string, string>[] = [{ origin: EVIL }, {}, { origin: OWN, 'sec-fetch-site': 'cross-site' }];
    for (const headers of foreign) {
      const response = await t.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-registry-csrf': '1', ...headers },
        body: JSON.stringify({ username: ADMIN, password: ADMIN_PASSWORD }),
      });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(((await response.json()) as Body).errors?.[0]?.message).toMatch(
        /^Sign-in and sign-out requests must come from this app's own pages/,
      );
    }
  });
});

describe('API keys work from anywhere', () => {
  it('with no Origin, a foreign Origin or cross-site, Basic or Bearer', async () => {
    for (const authorization of [`Basic ${Buffer.from(`api:${ADMIN_KEY}`).toString('base64')}`, `Bearer ${ADMIN_KEY}`]) {
      const anywhere: Record<string, string>[] = [{}, { origin: EVIL, 'sec-fetch-site': 'cross-site' }];
      for (const headers of anywhere) {
        const { response, body } = await post(VIEWER, { authorization, ...headers });
        expect(response.status, JSON.stringify(headers)).toBe(200);
        expect(body.data?.viewer).toEqual({ username: ADMIN });
      }
    }
  });
});

describe('headers on every response', () => {
  function expectCommon(response: Response, what: string): void {
    expect(response.headers.get('x-frame-options'), what).toBe('DENY');
    expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(response.headers.get('referrer-policy'), what).toBe('no-referrer');
    expect(response.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
  }

  it('pages get the strict app policy: scripts from the app only, never inline', async () => {
    for (const pathname of ['/', '/registry/model', '/assets/app.js']) {
      const response = await configured.fetch(new Request(`${OWN}${pathname}`));
      expect(response.status, pathname).toBe(200);
      expectCommon(response, pathname);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    }
  });

  it('API answers, errors and downloads get a policy that runs nothing', async () => {
    const responses: [string, Response][] = [
      ['graphql', (await post(VIEWER, {})).response],
      ['refused', (await post(VIEWER, { cookie, origin: EVIL, 'x-registry-csrf': '1' })).response],
      ['auth 404', await t.request('/api/nothing', { method: 'POST', headers: { origin: OWN } })],
      ['files 404', await t.request('/files/nothing')],
    ];
    for (const [what, response] of responses) {
      expectCommon(response, what);
      expect(response.headers.get('content-security-policy'), what).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
    }
  });

  it('the production build serves no source maps', async () => {
    const map = await configured.fetch(new Request(`${OWN}/assets/app.js.map`));
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('secret.tsx');
    const vite = fs.readFileSync(path.resolve(import.meta.dirname, '../../vite.config.ts'), 'utf8');
    expect(vite).toMatch(/sourcemap: false/);
  });
});

describe('GraphiQL', () => {
  it('opens in a browser signed in or not, with its own policy: its one inline script by hash', async () => {
    const browsers: Record<string, string>[] = [{ accept: 'text/html' }, { accept: 'text/html', cookie }];
    for (const headers of browsers) {
      const response = await t.request('/graphql', { headers });
      expect(response.status).toBe(200);
      expectFrameDenied(response);
      const html = await response.text();
      const script = html.slice(html.indexOf('<script>') + '<script>'.length, html.lastIndexOf('</script>'));
      const hash = createHash('sha256').update(script).digest('base64');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain(`script-src 'sha256-${hash}'`);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      // It sends the session cookie and the CSRF header, so its requests work signed in.
      expect(html).toContain('"additionalHeaders":{"x-registry-csrf":"1"}');
      expect(html).toContain('"credentials":"same-origin"');
    }
  });

  function expectFrameDenied(response: Response): void {
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  }
});

describe('downloads', () => {
  it('are attachments; only types a browser cannot run keep their declared type', async () => {
    const declared: Record<string, [string, string]> = {
      'page.html': ['text/html', 'application/octet-stream'],
      'image.svg': ['image/svg+xml', 'application/octet-stream'],
      'script.js': ['text/javascript', 'application/octet-stream'],
      'doc.pdf': ['application/pdf', 'application/octet-stream'],
      'odd.bin': ['TEXT/HTML; charset=utf-8', 'application/octet-stream'],
      'notes.txt': ['text/plain; charset=utf-8', 'text/plain'],
      'table.csv': ['text/csv', 'text/csv'],
      'meta.json': ['application/json', 'application/json'],
      'picture.png': ['IMAGE/PNG', 'image/png'],
    };
    const files = Object.fromEntries(Object.keys(declared).map((name) => [name, `<script>alert("${name}")</script>`]));
    const mimetypes = Object.fromEntries(Object.entries(declared).map(([name, [type]]) => [name, type]));
    const logged = await logArtifact(t, { entity: ADMIN, project: 'downloads', name: 'typed', type: 'dataset', files, mimetypes });
    const res = await t.gql(sdkDocument('ArtifactFileURLs'), { id: logged.artifactId, perPage: 100 });
    const edges = (res.data?.artifact as { files: { edges: { node: { name: string; directUrl: string } }[] } }).files.edges;
    expect(edges).toHaveLength(Object.keys(declared).length);
    for (const { node } of edges) {
      const { pathname, search } = new URL(node.directUrl);
      const response = await t.request(pathname + search);
      expect(response.status, node.name).toBe(200);
      expect(response.headers.get('content-type'), node.name).toBe(declared[node.name]?.[1]);
      expect(response.headers.get('content-disposition'), node.name).toMatch(/^attachment;/);
      expect(response.headers.get('x-content-type-options'), node.name).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), node.name).toContain('sandbox');
    }
  });
});

describe('paths that are not valid percent-encoding', () => {
  it('get 400 with a clear message, not 500', async () => {
    for (const pathname of ['/%', '/%E0%A4%A', '/registry/%zz', '/graphql%', '/api/%C0', '/files/%']) {
      const response = await t.request(pathname);
      expect(response.status, pathname).toBe(400);
      const body = (await response.json()) as Body;
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain('is not valid percent-encoding');
    }
    // A real "%" written as %25 is an ordinary path.
    expect((await configured.fetch(new Request(`${OWN}/registry/100%25`))).status).toBe(200);
  });
});

describe('CORS_ORIGINS', () => {
  it('lists exact origins; anything else stops the start with a clear error', () => {
    expect(readConfig({ CORS_ORIGINS: ' https://a.example.com, http://localhost:3000 ,,https://a.example.com' }).corsOrigins).toEqual([
      'https://a.example.com',
      'http://localhost:3000',
    ]);
    expect(readConfig({}).corsOrigins).toEqual([]);
    for (const bad of [
      '*',
      'https://a.example.com/',
      'https://a.example.com/path',
      'a.example.com',
      'ftp://a.example.com',
      'https://A.example.com',
      'null',
    ]) {
      expect(() => readConfig({ CORS_ORIGINS: bad }), bad).toThrow(
        /^CORS_ORIGINS: ".*" is not an exact origin\. List origins as scheme:\/\/host\[:port\]/,
      );
    }
  });
});

describe('unfinished uploads', () => {
  it('their .part files are removed at start; stored blobs and other files stay', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-start-'));
    const tmp = path.join(dataDir, 'blobs', 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    fs.mkdirSync(path.join(dataDir, 'blobs', 'ab'));
    fs.writeFileSync(path.join(tmp, '0123456789abcdef01234567.part'), 'half an upload');
    fs.writeFileSync(path.join(tmp, 'fedcba9876543210fedcba98.part'), '');
    fs.writeFileSync(path.join(tmp, 'README'), 'not ours');
    const blob = path.join(dataDir, 'blobs', 'ab', 'ab'.padEnd(32, '0'));
    fs.writeFileSync(blob, 'stored');
    const server = await startServer({ ...readConfig({ DATA_DIR: dataDir, PORT: '0' }), databaseUrl: undefined });
    try {
      expect(fs.readdirSync(tmp)).toEqual(['README']);
      expect(fs.readFileSync(blob, 'utf8')).toBe('stored');
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
