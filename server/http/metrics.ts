import { timingSafeEqual } from 'node:crypto';
import type { DB } from '../db/database.js';
import type { Metrics } from '../observability/metrics.js';
import { authenticate } from './authenticate.js';
import type { BrowserPolicy } from './browser.js';
import { errorResponse } from './responses.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `/metrics` in Prometheus's text format, for a scraper holding METRICS_TOKEN (`Authorization: Bearer …`)
 * or an organization admin (API key or session). Operation names and traffic are nobody else's to read.
 */
export async function metricsRoute(
  db: DB,
  metrics: Metrics,
  request: Request,
  policy: BrowserPolicy,
  token: string | undefined,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  let allowed = token !== undefined && bearer !== undefined && sameSecret(bearer, token);
  if (!allowed && bearer === undefined) {
    const auth = await authenticate(db, request, policy);
    allowed = auth.ok && auth.viewer?.org_role === 'admin';
  }
  if (!allowed) {
    return errorResponse(
      401,
      'UNAUTHENTICATED',
      'Metrics are for the operator: send METRICS_TOKEN as "Authorization: Bearer <token>", or an organization admin\'s API key.',
    );
  }
  const { body, contentType } = await metrics.text();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
