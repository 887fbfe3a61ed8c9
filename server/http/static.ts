import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface Asset {
  body: Uint8Array;
  gzipped: Uint8Array | undefined;
  type: string;
}

/** Serves the built SPA: hashed assets cached for a year, every other page gets index.html. */
export function createStaticHandler(webDir: string) {
  const cache = new Map<string, Asset | null>();

  async function load(file: string): Promise<Asset | null> {
    if (cache.has(file)) return cache.get(file) ?? null;
    let asset: Asset | null = null;
    try {
      const body = new Uint8Array(await fs.readFile(file));
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const compressible = /text|javascript|json|svg/.test(type) && body.byteLength > 1024;
      asset = { body, type, gzipped: compressible ? new Uint8Array(gzipSync(body)) : undefined };
    } catch {
      asset = null;
    }
    cache.set(file, asset);
    return asset;
  }

  function respond(request: Request, asset: Asset, cacheControl: string): Response {
    const gzip = asset.gzipped && /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
    const headers: Record<string, string> = {
      'content-type': asset.type,
      'cache-control': cacheControl,
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    };
    if (gzip) headers['content-encoding'] = 'gzip';
    const body = gzip ? asset.gzipped : asset.body;
    return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { headers });
  }

  return async function serveStatic(request: Request, pathname: string): Promise<Response> {
    const root = path.resolve(webDir);
    const file = path.resolve(root, `.${decodeURIComponent(pathname)}`);
    if (file.startsWith(root + path.sep) && !file.endsWith(path.sep)) {
      // Source maps would hand out the app's sources: the build makes none, and stray ones stay private.
      const asset = file.endsWith('.map') ? null : await load(file);
      if (asset) {
        const immutable = pathname.startsWith('/assets/');
        return respond(request, asset, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
      if (pathname.startsWith('/assets/')) return new Response('Not found', { status: 404 });
    }
    const index = await load(path.join(root, 'index.html'));
    if (!index) {
      return new Response('The web app is not built. Run "npm start" (it builds when needed) or "npm run build".', {
        status: 503,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    return respond(request, index, 'no-cache');
  };
}
