import type { DB } from '../../db/database.js';
import type { User } from '../../db/tables.js';
import { userError } from '../../graphql/errors.js';
import { hashPassword, newSecret } from './crypto.js';
import {
  deleteSessionsOfUser,
  findUserByPasswordLink,
  findUserByUsername,
  replacePasswordLink,
  setPasswordHash,
  usePasswordLink,
} from './repository.js';
import { checkPassword, passwordProblem } from './sign-in.js';

/** How long a link stays good: a day after a reset, a week for a new user who has yet to read their mail. */
export const RESET_LINK_HOURS = 24;
export const NEW_USER_LINK_HOURS = 7 * 24;

/** The web app's page that takes a link; the token is in the fragment, which browsers never send or log. */
export const PASSWORD_LINK_PATH = '/set-password';

export interface PasswordLink {
  url: string;
  expiresAt: Date;
}

function validPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem) throw userError('BAD_USER_INPUT', problem);
  return password;
}

/** A new one-time link for the user to choose a password; an earlier unused one stops working. */
export async function newPasswordLink(db: DB, user: User, createdBy: User, origin: string, hours: number): Promise<PasswordLink> {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + hours * 3600 * 1000);
  await replacePasswordLink(db, user.id, token, createdBy.id, expiresAt);
  return { url: `${origin}${PASSWORD_LINK_PATH}#${token}`, expiresAt };
}

/**
 * An org admin's reset: a link the admin gives the user. The user's sessions end now (a reset often
 * follows a suspected compromise); the old password keeps working until the link is used.
 */
export async function resetPassword(
  db: DB,
  admin: User,
  username: string,
  origin: string,
): Promise<{ user: User; passwordLink: PasswordLink }> {
  const user = await findUserByUsername(db, username);
  if (!user || user.organization_id !== admin.organization_id) {
    throw userError('NOT_FOUND', `User "${username.slice(0, 80)}" was not found.`);
  }
  const passwordLink = await newPasswordLink(db, user, admin, origin, RESET_LINK_HOURS);
  await deleteSessionsOfUser(db, user.id);
  return { user, passwordLink };
}

/**
 * The user's own change: needs the current password (checked under the sign-in throttle, so a stolen
 * session cannot guess it either). Every other session of the user ends; `keepSession` stays.
 */
export async function changePassword(
  db: DB,
  viewer: User,
  input: { currentPassword: string; newPassword: string },
  clientAddress: string,
  keepSession: string | undefined,
): Promise<User> {
  const newPassword = validPassword(input.newPassword);
  const checked = await checkPassword(db, viewer.username, input.currentPassword, clientAddress);
  if (!checked.ok) {
    if (checked.reason === 'throttled') throw userError('TOO_MANY_REQUESTS', checked.message);
    throw userError('BAD_USER_INPUT', 'The current password is wrong; nothing was changed.');
  }
  await setPasswordHash(db, viewer.id, await hashPassword(newPassword));
  await deleteSessionsOfUser(db, viewer.id, keepSession);
  return viewer;
}

const INVALID_LINK =
  'This password link does not work: it was used already, has expired, or a newer one replaced it. Ask an organization admin for a new link.';

/** Whose password a link would set, while it is good; undefined otherwise. Does not spend the link. */
export async function passwordLinkTarget(db: DB, token: string): Promise<{ user: User; expiresAt: Date } | undefined> {
  if (token.length === 0 || token.length > 200) return undefined;
  const found = await findUserByPasswordLink(db, token);
  return found ? { user: found, expiresAt: found.link_expires_at } : undefined;
}

/** Sets the password through a link, which then stops working; every session of the user ends. */
export async function setPasswordWithLink(db: DB, token: string, password: string): Promise<User> {
  const newPassword = validPassword(password);
  if (token.length === 0 || token.length > 200) throw userError('NOT_FOUND', INVALID_LINK);
  // Hashing first keeps the link's transaction short.
  const user = await usePasswordLink(db, token, await hashPassword(newPassword));
  if (!user) throw userError('NOT_FOUND', INVALID_LINK);
  return user;
}
