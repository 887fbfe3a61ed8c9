import type { DB } from '../../db/database.js';
import type { User } from '../../db/tables.js';
import { hashPassword, verifyPassword } from './crypto.js';
import {
  clearThrottles,
  findUserByUsername,
  recordThrottleFailures,
  setPasswordHash,
  throttleRows,
  type ThrottleRow,
} from './repository.js';

/**
 * Failed sign-ins are counted under three keys. Past its free failures, a key makes each further attempt
 * wait 2, 4, 8, … seconds after the last failure, up to its cap.
 * - address + user: the real lock, and it holds only where the failures came from, so someone elsewhere
 *   cannot lock the user out by guessing;
 * - user, from any address: a slower limit against guessing from many addresses; the most it can make
 *   the real user wait is a minute;
 * - address, for any user: one address trying many names.
 * A key forgets its failures after an hour without one.
 */
const RULES = [
  { key: (user: string, address: string) => `address:${address}|user:${user}`, free: 5, maxWaitSeconds: 300, scope: 'user' },
  { key: (user: string) => `user:${user}`, free: 50, maxWaitSeconds: 60, scope: 'user' },
  { key: (_user: string, address: string) => `address:${address}`, free: 100, maxWaitSeconds: 300, scope: 'address' },
] as const;

export const FORGET_FAILURES_AFTER_MS = 3600 * 1000;

/** The free failures of each key, exported for tests that start from a count. */
export const SIGN_IN_LIMITS = { perAddressAndUser: RULES[0].free, perUser: RULES[1].free, perAddress: RULES[2].free };

/** Keys compare user names without case, so "Bob" and "bob" share their count. */
export function throttleKeys(username: string, address: string): string[] {
  const user = username.toLowerCase();
  return RULES.map((rule) => rule.key(user, address));
}

function secondsToWait(rows: ThrottleRow[], keys: string[], now: number): { wait: number; scope: 'user' | 'address' } {
  let result: { wait: number; scope: 'user' | 'address' } = { wait: 0, scope: 'user' };
  RULES.forEach((rule, i) => {
    const row = rows.find((r) => r.key === keys[i]);
    const since = row ? now - row.last_failure_at.getTime() : Infinity;
    if (!row || row.failures < rule.free || since > FORGET_FAILURES_AFTER_MS) return;
    const wait = Math.ceil(Math.min(2 ** (row.failures - rule.free + 1), rule.maxWaitSeconds) - since / 1000);
    if (wait > result.wait) result = { wait, scope: rule.scope };
  });
  return result;
}

export type PasswordCheck =
  { ok: true; user: User } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'throttled'; wait: number; message: string };

/**
 * Checks a user name and password from a client address, under the throttle. Unknown users, users
 * without a password and wrong passwords cost the same hash and count the same failures, so neither
 * the answer nor its time tells whether a user exists. A right password stored with an older cost is
 * hashed again at today's.
 */
export async function checkPassword(db: DB, username: string, password: string, address: string): Promise<PasswordCheck> {
  const keys = throttleKeys(username, address);
  const now = Date.now();
  const { wait, scope } = secondsToWait(await throttleRows(db, keys), keys, now);
  if (wait > 0) {
    const who = scope === 'user' ? ` for "${username}"` : ' from your address';
    return {
      ok: false,
      reason: 'throttled',
      wait,
      message: `Too many failed sign-in attempts${who}. Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
    };
  }
  const user = await findUserByUsername(db, username);
  const verified = await verifyPassword(password, user?.password_hash);
  if (!user || !verified.ok) {
    await recordThrottleFailures(db, keys, new Date(), new Date(Date.now() - FORGET_FAILURES_AFTER_MS));
    return { ok: false, reason: 'wrong' };
  }
  // Only this address's lock ends: the slower per-user and per-address counts keep their window.
  await clearThrottles(db, keys.slice(0, 1));
  if (verified.needsRehash) await setPasswordHash(db, user.id, await hashPassword(password));
  return { ok: true, user };
}

/** Passwords people choose: checked the same on creation, change and through a link. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8) return 'The password must be at least 8 characters.';
  if (password.length > 1000) return 'The password must be at most 1000 characters.';
  return undefined;
}
