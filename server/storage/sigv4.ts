import { createHash, createHmac } from 'node:crypto';

/**
 * Presigned GETs and PUTs of S3 objects (AWS Signature Version 4, query authentication), for pages of
 * many URLs: the AWS SDK's getSignedUrl runs a whole command through the client's middleware for each
 * URL (about 0.6 ms: 3 s for the SDK's 5 000-file page), this costs two HMACs and two SHA-256s once
 * the day's key is derived. A test holds it to the SDK's own output, parameter for parameter.
 */

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface PresignInput {
  method: 'GET' | 'PUT';
  /** Headers the request must carry as given (lower-case names), signed too (`content-md5`). */
  headers?: Record<string, string>;
  /** `scheme://host[:port]` the URL goes to. */
  origin: string;
  /** The object's path, already escaped (`/bucket/key` or `/key`). */
  path: string;
  /** Extra query parameters, signed too (`response-content-disposition`, …). */
  query: Record<string, string>;
  region: string;
  credentials: SigningCredentials;
  expiresIn: number;
  now?: Date;
}

/** RFC 3986 escaping, as SigV4 canonicalizes query strings. */
export const escapeRfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();

// The signing key changes once a day per secret and region; a page of URLs derives it once.
const signingKeys = new Map<string, Buffer>();

function signingKey(secret: string, date: string, region: string): Buffer {
  const id = `${createHash('sha256').update(secret).digest('hex')}/${date}/${region}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
    if (signingKeys.size > 100) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

export function presign(input: PresignInput): string {
  const host = new URL(input.origin).host;
  const headers = Object.entries({ ...input.headers, host }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(';');
  const amzDate = (input.now ?? new Date()).toISOString().replace(/[:-]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${input.region}/s3/aws4_request`;
  const params: Record<string, string> = {
    ...input.query,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    'X-Amz-Credential': `${input.credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(input.expiresIn),
    'X-Amz-SignedHeaders': signedHeaders,
  };
  if (input.credentials.sessionToken) params['X-Amz-Security-Token'] = input.credentials.sessionToken;
  const query = Object.entries(params)
    .map(([k, v]) => [escapeRfc3986(k), escapeRfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value.trim()}\n`).join('');
  const canonical = [input.method, input.path, query, canonicalHeaders, signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const signature = createHmac('sha256', signingKey(input.credentials.secretAccessKey, date, input.region))
    .update(toSign)
    .digest('hex');
  return `${input.origin}${input.path}?${query}&X-Amz-Signature=${signature}`;
}
