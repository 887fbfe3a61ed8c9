import type { DB } from '../../db/database.js';
import { unstorableCharacter } from '../../graphql/input-values.js';
import { errorResponse } from '../../http/responses.js';
import { CSRF_HEADER, SESSION_COOKIE, type Auth } from './authenticate.js';
import { newSecret, verifyPassword } from './crypto.js';
import {
  clearLoginFailures,
  createSession,
  deleteSession,
  findUserByUsername,
  loginFailures,
  recordLoginFailure,
  SESSION_DAYS,
} from './repository.js';

/** Failures allowed before each further attempt must wait, doubling per failure up to the cap. */
const FREE_FAILURES = 5;
const MAX_WAIT_SECONDS = 300;

function sessionCookie(request: Request, token: string, maxAge: number): string {
  const secure = new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAge}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

async function secondsToWait(db: DB, username: string): Promise<number> {
  const row = await loginFailures(db, username);
  if (!row || row.failures < FREE_FAILURES) return 0;
  const wait = Math.min(2 ** (row.failures - FREE_FAILURES + 1), MAX_WAIT_SECONDS);
  const elapsed = (Date.now() - row.last_failure_at.getTime()) / 1000;
  return Math.max(0, Math.ceil(wait - elapsed));
}

async function login(db: DB, request: Request, body: Uint8Array): Promise<Response> {
  if (request.headers.get(CSRF_HEADER) !== '1') {
    return errorResponse(403, 'FORBIDDEN', `Sign-in requests must send the header "${CSRF_HEADER}: 1".`);
  }
  let input: unknown;
  try {
    input = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return errorResponse(400, 'BAD_USER_INPUT', 'Send a JSON body: {"username": "...", "password": "..."}.');
  }
  const { username, password } = (input ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string' || !username.trim() || !password) {
    return errorResponse(400, 'BAD_USER_INPUT', 'Enter your username and your password.');
  }
  // No stored name or password holds these, and the database could not even compare them.
  for (const [field, text] of [['username', username], ['password', password]] as const) {
    const what = unstorableCharacter(text);
    if (what) return errorResponse(400, 'BAD_USER_INPUT', `The ${field} holds ${what}, which no ${field} contains: remove it.`);
  }
  const name = username.trim().slice(0, 200);
  const wait = await secondsToWait(db, name);
  if (wait > 0) {
    return errorResponse(
      429,
      'TOO_MANY_REQUESTS',
      `Too many failed sign-in attempts for "${name}". Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
      { 'retry-after': String(wait) },
    );
  }
  const user = await findUserByUsername(db, name);
  if (!user || !(await verifyPassword(password, user.password_hash))) {
    await recordLoginFailure(db, name);
    return errorResponse(401, 'UNAUTHENTICATED', 'Wrong username or password.');
  }
  await clearLoginFailures(db, name);
  const token = newSecret();
  await createSession(db, user.id, token);
  return Response.json(
    { username: user.username },
    { headers: { 'set-cookie': sessionCookie(request, token, SESSION_DAYS * 24 * 3600) } },
  );
}

async function logout(db: DB, request: Request, auth: Auth & { ok: true }): Promise<Response> {
  if (auth.sessionToken) await deleteSession(db, auth.sessionToken);
  return new Response(null, { status: 204, headers: { 'set-cookie': sessionCookie(request, '', 0) } });
}

/** `/api/auth/*`: the browser's sign-in and sign-out. Scripts use API keys instead. */
export async function authRoute(
  db: DB,
  request: Request,
  path: string,
  auth: Auth & { ok: true },
  body: Uint8Array,
): Promise<Response | undefined> {
  if (request.method !== 'POST') return undefined;
  if (path === '/api/auth/login') return login(db, request, body);
  if (path === '/api/auth/logout') return logout(db, request, auth);
  return undefined;
}
