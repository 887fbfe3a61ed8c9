import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DB } from '../../db/database.js';
import { urlSigningSecret } from './repository.js';

/** How long a download URL works; the SDK fetches right after asking. */
export const URL_TTL_SECONDS = 3600;

// The secret never changes once made, so each database's is read once.
const secrets = new WeakMap<DB, Promise<string>>();

function secretFor(db: DB): Promise<string> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = urlSigningSecret(db);
    secrets.set(db, secret);
  }
  return secret;
}

function mac(secret: string, pathname: string, expires: number): string {
  return createHmac('sha256', secret).update(`${pathname}\n${expires}`).digest('base64url');
}

/**
 * A download URL the SDK can GET without credentials: the path plus an expiry and an HMAC of both
 * (keyed with the installation's `url_signing_secret`), so it cannot be forged or extended.
 */
export async function signPath(db: DB, pathname: string, now = Date.now()): Promise<string> {
  const expires = Math.floor(now / 1000) + URL_TTL_SECONDS;
  return `${pathname}?expires=${expires}&sig=${mac(await secretFor(db), pathname, expires)}`;
}

/** Signs many paths of one request with one expiry: the secret is read once, each path costs one HMAC. */
export async function pathSigner(db: DB, now = Date.now()): Promise<(pathname: string) => string> {
  const expires = Math.floor(now / 1000) + URL_TTL_SECONDS;
  const secret = await secretFor(db);
  return (pathname) => `${pathname}?expires=${expires}&sig=${mac(secret, pathname, expires)}`;
}

export async function verifySignedPath(db: DB, url: URL, now = Date.now()): Promise<'ok' | 'expired' | 'invalid'> {
  const expires = Number(url.searchParams.get('expires'));
  const sig = url.searchParams.get('sig') ?? '';
  if (!Number.isSafeInteger(expires) || sig === '') return 'invalid';
  const expected = Buffer.from(mac(await secretFor(db), url.pathname, expires));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  return expires * 1000 < now ? 'expired' : 'ok';
}
