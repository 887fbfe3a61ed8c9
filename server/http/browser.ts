import { errorResponse } from './responses.js';

/**
 * What browsers may do with the app: its own origin, plus the exact origins of CORS_ORIGINS. Origins are
 * compared with the list, never echoed back on their own say-so.
 */
export interface BrowserPolicy {
  corsOrigins: readonly string[];
}

/**
 * The app's pages: scripts and styles from the app's own files only. Styles also allow inline `<style>`
 * elements because Radix injects them (scroll lock of dialogs, Select's viewport); CSS cannot run script.
 * Images in model cards are shown as links, so no image comes from elsewhere. `storageOrigins`: where
 * pages also send and fetch files (an S3 bucket's presigned URLs; the bucket's CORS must allow the app).
 */
export function appCsp(storageOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...storageOrigins].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** API answers and downloads are never pages: if a browser renders one anyway, it runs nothing. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Headers every response carries; the caller picks the Content-Security-Policy unless one is set. */
export function withSecurityHeaders(response: Response, csp: string): Response {
  const headers = response.headers;
  if (!headers.has('content-security-policy')) headers.set('content-security-policy', csp);
  // For browsers without frame-ancestors.
  headers.set('x-frame-options', 'DENY');
  headers.set('x-content-type-options', 'nosniff');
  // Page URLs name registries and collections; nothing in the app needs a Referer.
  headers.set('referrer-policy', 'no-referrer');
  // Another site's window opened from here (or opening us) gets no handle on ours.
  headers.set('cross-origin-opener-policy', 'same-origin');
  return response;
}

function ownOrigins(request: Request): string[] {
  const url = new URL(request.url);
  // Behind a TLS-terminating proxy the browser's origin is https while we hear http.
  return request.headers.get('x-forwarded-proto') === 'https' ? [url.origin, `https://${url.host}`] : [url.origin];
}

/**
 * Why a browser request carrying the session cookie (or signing in) does not come from the app or an
 * allowed origin, or null when it does. Browsers send Origin on every POST and on cross-origin GETs;
 * Sec-Fetch-Site, when sent, says whether the page that made the request is our own.
 */
export function originRefusal(request: Request, policy: BrowserPolicy, subject = 'Requests with the session cookie'): string | null {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  const configured = origin !== null && policy.corsOrigins.includes(origin);
  const own = origin !== null && ownOrigins(request).includes(origin);
  if (site === 'same-origin' && (origin === null || own)) return null;
  if (site !== null && site !== 'same-origin') {
    return configured ? null : `${subject} must come from this app's own pages (Sec-Fetch-Site: ${site}).`;
  }
  if (own || configured) return null;
  return origin === null
    ? `${subject} must come from this app's own pages: the "Origin" header is missing. Scripts use an API key instead.`
    : `${subject} must come from this app's own pages, not from ${origin}. Add it to CORS_ORIGINS to allow it.`;
}

/** Answers the CORS headers an allowed extra origin needs on an API response; nothing for anyone else. */
export function withCorsHeaders(request: Request, response: Response, policy: BrowserPolicy): Response {
  if (policy.corsOrigins.length === 0) return response;
  response.headers.append('vary', 'Origin');
  const origin = request.headers.get('origin');
  if (origin !== null && policy.corsOrigins.includes(origin)) {
    response.headers.set('access-control-allow-origin', origin);
    response.headers.set('access-control-allow-credentials', 'true');
  }
  return response;
}

/** A CORS preflight (`OPTIONS`) on `/graphql` or `/api/*`: granted to configured origins only. */
export function preflight(request: Request, policy: BrowserPolicy): Response {
  const origin = request.headers.get('origin');
  const headers: Record<string, string> = { allow: 'GET, POST, OPTIONS' };
  if (origin === null || ownOrigins(request).includes(origin)) return new Response(null, { status: 204, headers });
  if (!policy.corsOrigins.includes(origin)) {
    return errorResponse(
      403,
      'FORBIDDEN',
      `Browser pages from ${origin} may not call this API. Add the origin to CORS_ORIGINS to allow it.`,
      headers,
    );
  }
  return withCorsHeaders(
    request,
    new Response(null, {
      status: 204,
      headers: {
        ...headers,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type, x-registry-csrf',
        'access-control-max-age': '600',
      },
    }),
    policy,
  );
}
