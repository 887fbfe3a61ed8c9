import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

// Team secrets are sealed with AES-256-GCM under the server's key: a 12-byte nonce, the 16-byte tag
// and the ciphertext, base64 in one column. A wrong key or a changed row fails to open, never decrypts to garbage.

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function sealSecret(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
}

export function openSecret(key: Buffer, sealed: string): string {
  const data = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(data.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/**
 * Standard Webhooks' signature: `v1,` and base64 of HMAC-SHA256 over `id.timestamp.body`. A secret
 * written `whsec_<base64>` (the convention's form) keys with the decoded bytes; any other with its text.
 */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}
