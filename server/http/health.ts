import type { DB } from '../db/database.js';
import { pingDatabase } from '../db/repository.js';
import type { BlobStore } from '../storage/blobs.js';
import { log, reason } from '../observability/log.js';

/** How long a readiness check waits for a dependency: a load balancer's probe must get an answer, not hang. */
const CHECK_TIMEOUT_MS = 2_000;

function withinTimeout(check: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

async function probe(name: string, check: () => Promise<void>): Promise<'ok' | 'unavailable'> {
  try {
    await withinTimeout(check());
    return 'ok';
  } catch (error) {
    // The reason goes to the log only: it names hosts and paths an anonymous caller has no business seeing.
    log.warn({ check: name, reason: reason(error) }, 'readiness check failed');
    return 'unavailable';
  }
}

const noStore = { 'cache-control': 'no-store' };

/**
 * `/healthz`: the process is up and serving (liveness). `/readyz`: the database and the blob store
 * answer now (readiness; 503 otherwise, so a load balancer sends traffic elsewhere). Both are public
 * and say nothing beyond ok/unavailable; null for any other path.
 */
export async function healthRoute(db: DB, store: BlobStore, request: Request, pathname: string): Promise<Response | null> {
  if (pathname !== '/healthz' && pathname !== '/readyz') return null;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  if (pathname === '/healthz') return Response.json({ status: 'ok' }, { headers: noStore });
  const [database, blobs] = await Promise.all([probe('database', () => pingDatabase(db)), probe('blob store', () => store.ready())]);
  const ready = database === 'ok' && blobs === 'ok';
  return Response.json(
    { status: ready ? 'ok' : 'unavailable', checks: { database, blobs } },
    { status: ready ? 200 : 503, headers: noStore },
  );
}
