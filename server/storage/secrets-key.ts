import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;
/** In DATA_DIR; backups carry it, since stored team secrets cannot be read without it. */
export const KEY_FILE = 'secrets.key';

function decodeKey(value: string): Buffer {
  const text = value.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`SECRETS_KEY must be ${KEY_BYTES} bytes as base64 or hex (e.g. \`openssl rand -base64 32\`).`);
  }
  return key;
}

/**
 * The key team secrets are sealed with: SECRETS_KEY when set, else `<dataDir>/secrets.key`, generated
 * on the first start and readable by the server's user only. Losing it makes the stored secrets unreadable.
 */
export function loadSecretsKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return decodeKey(configured);
  const file = path.join(dataDir, KEY_FILE);
  if (fs.existsSync(file)) return decodeKey(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return decodeKey(fs.readFileSync(file, 'utf8'));
    throw error;
  }
  return key;
}
