import path from 'node:path';
import type { Config } from './config.js';
import type { DB } from './db/database.js';
import { createGraphQL } from './graphql/yoga.js';
import { filesRoute } from './http/files.js';
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
};

/**
 * The whole HTTP surface as one fetch handler: `/graphql`, `/api/auth/*` and the SPA.
 * Tests call `app.fetch` in-process; main.ts mounts it on node:http.
 */
export function createApp(db: DB, options: AppOptions) {
  const graphql = createGraphQL(db);
  const serveStatic = createStaticHandler(options.webDir);
  const files = { store: localBlobStore(options.dataDir ?? path.resolve('./data')), maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 ** 3 };

  async function handle(request: Request, info: RequestInfo): Promise<Response> {
    const clientAddress = info.clientAddress ?? 'unknown';
    const url = new URL(request.url);
    const { pathname } = url;
    const isGraphQL = pathname === '/graphql';
    const isApi = pathname.startsWith('/api/');
    // Uploads and downloads carry their own credential (a token or a signature) and stream their bodies.
    if (pathname.startsWith('/files/')) return filesRoute(db, files, request, pathname);

    if (!isGraphQL && !isApi) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
      return serveStatic(request, pathname);
    }

    const auth = await authenticate(db, request);
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
    try {
      return await handle(request, info);
    } catch (error) {
      console.error(error);
      return errorResponse(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
    }
  }

  return {
    graphql,
    fetch: (request: Request): Promise<Response> => fetchFrom(request, {}),
    /** `fetch` with what the HTTP server knows of the request's client (main.ts). */
    fetchFrom,
  };
}

export type App = ReturnType<typeof createApp>;
