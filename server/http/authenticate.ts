import type { DB } from '../db/database.js';
import type { User } from '../db/tables.js';
import { originRefusal, type BrowserPolicy } from './browser.js';
import { findUserByApiKey, findUserBySession, type SignedInUser } from '../modules/auth/repository.js';

export const SESSION_COOKIE = 'registry_session';
/** Header the SPA sends on every cookie-authenticated request; a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-registry-csrf';

export type Auth =
  | {
      ok: true;
      viewer: User | null;
      /** The viewer's organization and its entity, read with the viewer. */
      organization: Omit<SignedInUser, 'user'> | null;
      via: 'session' | 'apiKey' | null;
      sessionToken?: string;
    }
  | { ok: false; status: 401 | 403; code: 'UNAUTHENTICATED' | 'FORBIDDEN'; message: string };

const INVALID_KEY = 'Invalid API key. Create a key on the "API keys" page and send it as HTTP Basic "api:<key>" or "Bearer <key>".';

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A stray cookie that is not valid percent-encoding is no session, not a 500 on every request.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function apiKeyFrom(authorization: string): string | undefined {
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

/**
 * Who is calling: an API key (scripts, the SDK) wins over the session cookie (the browser). The cookie
 * counts only on requests from the app's own pages (or CORS_ORIGINS): another site's page must neither
 * change nor read anything as the signed-in user, so reads need the CSRF header and the Origin too.
 */
export async function authenticate(db: DB, request: Request, policy: BrowserPolicy): Promise<Auth> {
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const key = apiKeyFrom(authorization);
    const found = key && key.length <= 256 ? await findUserByApiKey(db, key) : undefined;
    if (!found) return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: INVALID_KEY };
    const { user, ...organization } = found;
    return { ok: true, viewer: user, organization, via: 'apiKey' };
  }
  const token = readCookie(request, SESSION_COOKIE);
  if (!token || token.length > 256) return { ok: true, viewer: null, organization: null, via: null };
  const found = await findUserBySession(db, token);
  if (!found) return { ok: true, viewer: null, organization: null, via: null };
  if (request.headers.get(CSRF_HEADER) !== '1') {
    return {
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
      message: `Requests with the session cookie must send the header "${CSRF_HEADER}: 1".`,
    };
  }
  const refusal = originRefusal(request, policy);
  if (refusal) return { ok: false, status: 403, code: 'FORBIDDEN', message: refusal };
  const { user, ...organization } = found;
  return { ok: true, viewer: user, organization, via: 'session', sessionToken: token };
}
