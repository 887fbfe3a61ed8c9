import type { DB } from '../db/database.js';
import { unstorableCharacter } from '../graphql/input-values.js';
import { errorResponse } from './responses.js';
import { CSRF_HEADER, SESSION_COOKIE, type Auth } from './authenticate.js';
import { newSecret } from '../modules/auth/crypto.js';
import { createSession, deleteSession, SESSION_DAYS } from '../modules/auth/repository.js';
import { checkPassword } from '../modules/auth/sign-in.js';

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

async function login(db: DB, request: Request, body: Uint8Array, clientAddress: string): Promise<Response> {
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
  for (const [field, text] of [
    ['username', username],
    ['password', password],
  ] as const) {
    const what = unstorableCharacter(text);
    if (what) return errorResponse(400, 'BAD_USER_INPUT', `The ${field} holds ${what}, which no ${field} contains: remove it.`);
  }
  const name = username.trim().slice(0, 200);
  const checked = await checkPassword(db, name, password, clientAddress);
  if (!checked.ok) {
    if (checked.reason === 'throttled') {
      return errorResponse(429, 'TOO_MANY_REQUESTS', checked.message, { 'retry-after': String(checked.wait) });
    }
    return errorResponse(401, 'UNAUTHENTICATED', 'Wrong username or password.');
  }
  const { user } = checked;
  const token = newSecret();
  await createSession(db, user.id, token);
  return Response.json({ username: user.username }, { headers: { 'set-cookie': sessionCookie(request, token, SESSION_DAYS * 24 * 3600) } });
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
  clientAddress: string,
): Promise<Response | undefined> {
  if (request.method !== 'POST') return undefined;
  if (path === '/api/auth/login') return login(db, request, body, clientAddress);
  if (path === '/api/auth/logout') return logout(db, request, auth);
  return undefined;
}
