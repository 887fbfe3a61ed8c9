import path from 'node:path';
import type { Config } from './config.js';
import type { DB } from './db/database.js';
import { shouldRenderGraphiQL } from 'graphql-yoga';
import { databaseInputMessage } from './db/errors.js';
import { graphiqlPage } from './http/graphiql.js';
import { createGraphQL } from './http/graphql.js';
import { appCsp, DATA_CSP, originRefusal, preflight, withCorsHeaders, withSecurityHeaders, type BrowserPolicy } from './http/browser.js';
import { filesRoute } from './http/files.js';
import { healthRoute } from './http/health.js';
import { errorResponse, readBodyLimited } from './http/responses.js';
import { createStaticHandler } from './http/static.js';
import { authenticate } from './http/authenticate.js';
import { authRoute } from './http/auth-routes.js';
import { localBlobStore, type BlobStore } from './storage/blobs.js';
import { s3BlobStore } from './storage/s3.js';
import { metricsRoute } from './http/metrics.js';
import type { RequestTrace } from './http/graphql.js';
import { log, requestIdOf } from './observability/log.js';
import { createMetrics, type RouteKind } from './observability/metrics.js';
import { poolStats } from './db/database.js';
import { loadSecretsKey } from './storage/secrets-key.js';
import type { ServerSettings } from './graphql/builder.js';

/** What the HTTP server knows of a request beyond the request itself (main.ts). */
export interface RequestInfo {
  /** The client's address, for sign-in throttling; "unknown" when not given (in-process calls). */
  clientAddress?: string;
}

/** What the handler learns of a request while serving it, for its log line and metrics. */
interface Served extends RequestTrace {
  viewer?: string;
}

export type AppOptions = Pick<Config, 'maxBodyBytes' | 'webDir'> & {
  /** Where blobs are stored (`<dataDir>/blobs`, made on the first upload); default ./data as in config.ts. */
  dataDir?: string;
  /** Largest artifact file accepted on upload (default 5 GiB). */
  maxUploadBytes?: number;
  /** Browser origins besides the app's own that may use the session cookie (CORS_ORIGINS); none by default. */
  corsOrigins?: readonly string[];
  /** The bearer token a Prometheus scraper sends to `/metrics` (METRICS_TOKEN); org admins may read it too. */
  metricsToken?: string;
  /** SECRETS_KEY: seals team secrets; unset, a key generated once into `<dataDir>/secrets.key`. */
  secretsKey?: string;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: webhooks may go to private and loopback addresses (default false). */
  allowPrivateNetworks?: boolean;
  /** S3-compatible storage for files instead of `<dataDir>/blobs` (S3_BUCKET). */
  s3?: Config['s3'];
  /** A store made by the caller (tests: S3 with explicit keys); wins over `s3` and `dataDir`. */
  store?: BlobStore;
};

function routeKind(pathname: string, method: string): RouteKind {
  if (pathname === '/graphql') return 'graphql';
  if (pathname.startsWith('/api/')) return 'api';
  if (pathname.startsWith('/files/')) return method === 'PUT' ? 'files_upload' : 'files_download';
  if (pathname === '/healthz' || pathname === '/readyz') return 'health';
  if (pathname === '/metrics') return 'metrics';
  return 'page';
}

function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

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
  const dataDir = options.dataDir ?? path.resolve('./data');
  const settings: ServerSettings = {
    secretsKey: once(() => loadSecretsKey(options.secretsKey, dataDir)),
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 ** 3,
  };
  const store = options.store ?? (options.s3 ? s3BlobStore(options.s3) : localBlobStore(dataDir));
  const graphql = createGraphQL(db, settings, store);
  const pageCsp = appCsp(store.direct ? [store.direct.origin] : []);
  const serveStatic = createStaticHandler(options.webDir);
  const policy: BrowserPolicy = { corsOrigins: options.corsOrigins ?? [] };
  const files = {
    store,
    maxUploadBytes: settings.maxUploadBytes ?? 5 * 1024 ** 3,
  };
  const metrics = createMetrics(() => poolStats(db));
  /** Set when the server is shutting down: readiness answers 503 so load balancers stop sending work. */
  let draining = false;

  async function handle(request: Request, info: RequestInfo, served: Served): Promise<Response> {
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
    if (draining && pathname === '/readyz')
      return Response.json({ status: 'draining' }, { status: 503, headers: { 'cache-control': 'no-store' } });
    const health = await healthRoute(db, files.store, request, pathname);
    if (health) return health;
    if (pathname === '/metrics') return metricsRoute(db, metrics, request, policy, options.metricsToken);

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
    served.viewer = auth.viewer?.username;

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
        trace: served,
      });
    }
    const response = await authRoute(db, request, pathname, auth, body ?? new Uint8Array(), clientAddress);
    return response ?? errorResponse(404, 'NOT_FOUND', `No API route ${request.method} ${pathname}.`);
  }

  async function fetchFrom(request: Request, info: RequestInfo): Promise<Response> {
    const started = performance.now();
    const requestId = requestIdOf(request.headers.get('x-request-id'));
    const served: Served = {};
    let response: Response;
    try {
      response = await handle(request, info, served);
    } catch (error) {
      log.error({ requestId, err: error }, 'request failed');
      // A value the database refused is the caller's to fix, as on /graphql.
      const input = databaseInputMessage(error);
      response = input ? errorResponse(400, 'BAD_USER_INPUT', input) : errorResponse(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
    }
    const { pathname } = new URL(request.url);
    const isApi = pathname === '/graphql' || pathname.startsWith('/api/');
    if (isApi) withCorsHeaders(request, response, policy);
    const route = routeKind(pathname, request.method);
    response = withSecurityHeaders(response, route === 'page' ? pageCsp : DATA_CSP);
    response.headers.set('x-request-id', requestId);
    const seconds = (performance.now() - started) / 1000;
    const bytes = Number((route === 'files_upload' ? request : response).headers.get('content-length')) || 0;
    metrics.observe({
      route,
      method: request.method,
      status: response.status,
      seconds,
      operation: served.operation,
      failed: served.failed,
      bytes,
    });
    // The path only: query strings carry signatures and tokens.
    log.info(
      {
        requestId,
        method: request.method,
        path: pathname.slice(0, 300),
        status: response.status,
        ms: Math.round(seconds * 10_000) / 10,
        operation: served.operation,
        viewer: served.viewer,
        client: info.clientAddress,
      },
      served.failed ? 'request answered with errors' : 'request',
    );
    return response;
  }

  return {
    graphql,
    /** What the delivery worker needs too (main.ts). */
    settings,
    fetch: (request: Request): Promise<Response> => fetchFrom(request, {}),
    /** `fetch` with what the HTTP server knows of the request's client (main.ts). */
    fetchFrom,
    /** From now on `/readyz` answers 503 (shutdown: load balancers stop sending new work). */
    drain() {
      draining = true;
    },
  };
}

export type App = ReturnType<typeof createApp>;
