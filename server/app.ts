import path from 'node:path';
import type { Config } from './config.js';
import type { DB } from './db/database.js';
import { shouldRenderGraphiQL } from 'graphql-yoga';
import { databaseInputMessage } from './graphql/errors.js';
import { graphiqlPage } from './graphql/graphiql.js';
import { createGraphQL } from './graphql/yoga.js';
import { APP_CSP, DATA_CSP, originRefusal, preflight, withCorsHeaders, withSecurityHeaders, type BrowserPolicy } from './http/browser.js';
import { filesRoute } from './http/files.js';
import { healthRoute } from './http/health.js';
import { errorResponse, readBodyLimited } from './http/responses.js';
import { createStaticHandler } from './http/static.js';
import { authenticate } from './modules/auth/authenticate.js';
import { authRoute } from './modules/auth/routes.js';
import { localBlobStore } from './storage/blobs.js';

/** What the HTTP server knows of a request beyond the request itself (main.ts). */
export interface RequestInfo {
  /** The client's address, for sign-in throttling; "unknown" when not given (in-process calls). */
  clientAddress?: string;
}

export type AppOptions = Pick<Config, 'maxBodyBytes' | 'webDir'> & {
  /** Where blobs are stored (`<dataDir>/blobs`, made on the first upload); default ./data as in config.ts. */
  dataDir?: string;
  /** Largest artifact file accepted on upload (default 5 GiB). */
  maxUploadBytes?: number;
  /** Browser origins besides the app's own that may use the session cookie (CORS_ORIGINS); none by default. */
  corsOrigins?: readonly string[];
};

/** False for a path that is not valid percent-encoded UTF-8 (`/%`, `/%E0%A4%A`). */
function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * The whole HTTP surface as one fetch handler: `/graphql`, `/api/auth/*`, the file routes, `/healthz`,
 * `/readyz` and the SPA.
 * Tests call `app.fetch` in-process; main.ts mounts it on node:http.
 */
export function createApp(db: DB, options: AppOptions) {
  const graphql = createGraphQL(db);
  const serveStatic = createStaticHandler(options.webDir);
  const policy: BrowserPolicy = { corsOrigins: options.corsOrigins ?? [] };
  const files = {
    store: localBlobStore(options.dataDir ?? path.resolve('./data')),
    maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 ** 3,
  };

  async function handle(request: Request, info: RequestInfo): Promise<Response> {
    const clientAddress = info.clientAddress ?? 'unknown';
    const url = new URL(request.url);
    const { pathname } = url;
    const isGraphQL = pathname === '/graphql';
    const isApi = pathname.startsWith('/api/');
    if (!decodable(pathname)) {
      return errorResponse(
        400,
        'BAD_USER_INPUT',
        `The path "${pathname.slice(0, 200)}" is not valid percent-encoding: each "%" must start a %XX escape of UTF-8 bytes (write "%25" for "%").`,
      );
    }
    // Uploads and downloads carry their own credential (a token or a signature) and stream their bodies.
    if (pathname.startsWith('/files/')) return filesRoute(db, files, request, pathname);
    const health = await healthRoute(db, files.store, request, pathname);
    if (health) return health;

    if (!isGraphQL && !isApi) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
      return serveStatic(request, pathname);
    }

    if (request.method === 'OPTIONS') return preflight(request, policy);
    // The GraphiQL page holds no data; the requests it then makes are authenticated like the app's.
    if (isGraphQL && shouldRenderGraphiQL(request)) {
      const page = await graphql.fetch(request, { viewer: null, viewerOrganization: null });
      page.headers.set('content-security-policy', graphiqlPage().csp);
      return page;
    }
    // Signing in from another site's page would sign the browser in to that site's account (login CSRF).
    const refusal = isApi ? originRefusal(request, policy, 'Sign-in and sign-out requests') : null;
    if (refusal) return errorResponse(403, 'FORBIDDEN', refusal);

    const auth = await authenticate(db, request, policy);
    if (!auth.ok) return errorResponse(auth.status, auth.code, auth.message);

    let body: Uint8Array | undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const read = await readBodyLimited(request, options.maxBodyBytes);
      if (!read) {
        return errorResponse(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${options.maxBodyBytes} bytes.`);
      }
      body = read;
    }

    if (isGraphQL) {
      const forwarded = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: body as Uint8Array<ArrayBuffer> | undefined,
      });
      return graphql.fetch(forwarded, {
        viewer: auth.viewer,
        viewerOrganization: auth.organization,
        sessionToken: auth.sessionToken,
        clientAddress,
      });
    }
    const response = await authRoute(db, request, pathname, auth, body ?? new Uint8Array(), clientAddress);
    return response ?? errorResponse(404, 'NOT_FOUND', `No API route ${request.method} ${pathname}.`);
  }

  async function fetchFrom(request: Request, info: RequestInfo): Promise<Response> {
    let response: Response;
    try {
      response = await handle(request, info);
    } catch (error) {
      console.error(error);
      // A value the database refused is the caller's to fix, as on /graphql.
      const input = databaseInputMessage(error);
      response = input ? errorResponse(400, 'BAD_USER_INPUT', input) : errorResponse(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
    }
    const { pathname } = new URL(request.url);
    const isApi = pathname === '/graphql' || pathname.startsWith('/api/');
    if (isApi) withCorsHeaders(request, response, policy);
    const isPage = !isApi && !pathname.startsWith('/files/') && pathname !== '/healthz' && pathname !== '/readyz';
    return withSecurityHeaders(response, isPage ? APP_CSP : DATA_CSP);
  }

  return {
    graphql,
    fetch: (request: Request): Promise<Response> => fetchFrom(request, {}),
    /** `fetch` with what the HTTP server knows of the request's client (main.ts). */
    fetchFrom,
  };
}

export type App = ReturnType<typeof createApp>;
