import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 64;

interface ScryptCost {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  r: number;
  p: number;
}

/** Current guidance (OWASP): N = 2^17, r = 8, p = 1: 128 MiB and a few hundred ms per hash. */
export const PASSWORD_COST: ScryptCost = { ln: 17, r: 8, p: 1 };
/** What hashes of the first releases used (`scrypt$salt$hash`, no parameters written). */
const LEGACY_COST: ScryptCost = { ln: 14, r: 8, p: 1 };

function scryptAsync(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.ln;
  // scrypt needs 128·N·r bytes; Node refuses above maxmem (32 MiB by default), so it is sized to the cost.
  // At most libuv's thread pool (4) hashes run at once, which bounds the memory sign-ins can take.
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 2 * 128 * N * cost.r * cost.p };
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

function encode(cost: ScryptCost, salt: Buffer, key: Buffer): string {
  return `scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Parsed {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

/** `scrypt$ln=17,r=8,p=1$salt$hash` (current) or `scrypt$salt$hash` (legacy, N = 2^14). */
function parse(stored: string): Parsed | undefined {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return undefined;
  if (parts.length === 3 && parts[1] && parts[2]) {
    return { cost: LEGACY_COST, salt: Buffer.from(parts[1], 'base64'), hash: Buffer.from(parts[2], 'base64') };
  }
  const params = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(parts[1] ?? '');
  if (parts.length !== 4 || !params || !parts[2] || !parts[3]) return undefined;
  const cost = { ln: Number(params[1]), r: Number(params[2]), p: Number(params[3]) };
  // A hash we would never write (say, a tampered row asking for 2^30) is refused rather than computed.
  if (cost.ln < 10 || cost.ln > 20 || cost.r < 1 || cost.r > 16 || cost.p < 1 || cost.p > 4) return undefined;
  return { cost, salt: Buffer.from(parts[2], 'base64'), hash: Buffer.from(parts[3], 'base64') };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return encode(PASSWORD_COST, salt, await scryptAsync(password, salt, PASSWORD_COST));
}

/** Only for tests and migrations of old data: a hash with the first releases' parameters. */
export async function legacyHashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, LEGACY_COST);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

let dummy: Promise<Parsed> | undefined;

/** A hash of nobody's password at the current cost, so an unknown user costs the same time as a known one. */
function dummyHash(): Promise<Parsed> {
  dummy ??= hashPassword(newSecret()).then((stored) => parse(stored)!);
  return dummy;
}

export interface Verified {
  ok: boolean;
  /** The password is right but its hash is weaker than today's cost: store a new one. */
  needsRehash: boolean;
}

/**
 * Checks a password against a stored hash. With no usable hash (unknown user, a user who has not chosen
 * a password yet) it hashes against a dummy all the same, so the answer takes as long either way.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<Verified> {
  const parsed = stored ? parse(stored) : undefined;
  const target = parsed ?? (await dummyHash());
  const actual = await scryptAsync(password, target.salt, target.cost);
  const ok = parsed !== undefined && target.hash.length === actual.length && timingSafeEqual(target.hash, actual);
  const current = target.cost.ln >= PASSWORD_COST.ln && target.cost.r >= PASSWORD_COST.r && target.cost.p >= PASSWORD_COST.p;
  return { ok, needsRehash: ok && !current };
}

/** Session tokens and API keys are stored only as this digest: a database leak reveals no credential. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** 40 hex characters: the shape of key the wandb SDK accepts. */
export function newApiKey(): string {
  return randomBytes(20).toString('hex');
}

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
