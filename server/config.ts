import path from 'node:path';

/** Runtime configuration, read once from the environment (see README "Configuration"). */
export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  orgName: string;
  adminUser: string;
  adminPassword: string | undefined;
  adminApiKey: string | undefined;
  /** Largest accepted request body on /graphql and the auth routes, in bytes. */
  maxBodyBytes: number;
  /** Largest artifact file accepted by PUT /files/upload/…, in bytes (MAX_UPLOAD_BYTES, default 5 GiB). */
  maxUploadBytes: number;
  /** Directory of the built SPA. */
  webDir: string;
  /** Browser origins besides the app's own that may call the API with the session cookie (CORS_ORIGINS). */
  corsOrigins: string[];
  /**
   * How many reverse proxies in front of the server append to X-Forwarded-For (TRUSTED_PROXY_HOPS,
   * default 0). With 0 the client address is the socket's peer and the header is ignored: a client can
   * write anything there, and sign-in throttling counts by this address.
   */
  trustedProxyHops: number;
  /** The bearer token Prometheus sends to /metrics (METRICS_TOKEN); unset, only org admins read it. */
  metricsToken: string | undefined;
  /** How long a shutdown waits for open requests (transfers) before cutting them (SHUTDOWN_TIMEOUT_MS, default 30 s). */
  shutdownTimeoutMs: number;
  /** SECRETS_KEY: 32 bytes as base64 or hex, sealing team secrets; unset, one is generated into DATA_DIR. */
  secretsKey: string | undefined;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS=true lets webhooks reach private and loopback addresses. */
  webhookAllowPrivateNetworks: boolean;
  /** How often the delivery worker looks for work (WEBHOOK_POLL_MS, default 1 s). */
  webhookPollMs: number;
  /** How long a delivery is retried before it is given up (WEBHOOK_GIVE_UP_MS, default 24 h). */
  webhookGiveUpMs: number;
  /** One webhook request's time limit (WEBHOOK_TIMEOUT_MS, default 10 s). */
  webhookTimeoutMs: number;
  /** The first retry's delay, doubled each retry (WEBHOOK_BACKOFF_MS, default 1 s). */
  webhookBackoffMs: number;
  /** How long past the time limit a claimed delivery stays with its server (WEBHOOK_LEASE_MARGIN_MS, default 30 s). */
  webhookLeaseMarginMs: number;
  /** S3-compatible storage for files (S3_BUCKET and friends); unset, files stay in `<dataDir>/blobs`. */
  s3: S3Config | undefined;
}

/** Where files go when they live in S3-compatible storage; credentials come from the AWS SDK's default chain. */
export interface S3Config {
  bucket: string;
  /** Another S3-compatible service (MinIO, R2, …); unset, AWS S3 itself. */
  endpoint: string | undefined;
  region: string;
  /** Bucket in the path (`https://host/bucket/key`), as most S3-compatible services need. */
  forcePathStyle: boolean;
}

function proxyHops(value: string | undefined): number {
  const hops = Number(value ?? 0);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`TRUSTED_PROXY_HOPS must be an integer between 0 and 10, got "${value}"`);
  }
  return hops;
}

/**
 * S3_BUCKET selects S3 storage; the other S3_ variables only make sense with it, so alone they are
 * refused rather than silently ignored (files would go to the local directory instead).
 */
export function s3Config(env: NodeJS.ProcessEnv): S3Config | undefined {
  const bucket = env.S3_BUCKET?.trim() ?? '';
  const stray = ['S3_ENDPOINT', 'S3_REGION', 'S3_FORCE_PATH_STYLE'].filter((name) => env[name]);
  if (!bucket) {
    if (stray.length > 0) throw new Error(`${stray.join(', ')} set without S3_BUCKET: set S3_BUCKET to store files in S3, or unset them.`);
    return undefined;
  }
  // The rules every S3 service shares: 3-63 lower-case letters, digits, dots and hyphens.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`S3_BUCKET must be a bucket name (3-63 lower-case letters, digits, "." and "-"), got "${bucket}".`);
  }
  let endpoint: string | undefined;
  if (env.S3_ENDPOINT) {
    let url: URL | undefined;
    try {
      url = new URL(env.S3_ENDPOINT);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search) {
      throw new Error(`S3_ENDPOINT must be the service's URL, scheme://host[:port] with no path, got "${env.S3_ENDPOINT}".`);
    }
    endpoint = url.origin;
  }
  const region = env.S3_REGION?.trim() || 'us-east-1';
  if (!/^[a-z0-9-]{2,40}$/.test(region)) throw new Error(`S3_REGION must be a region name such as "us-east-1", got "${region}".`);
  const pathStyle = (env.S3_FORCE_PATH_STYLE ?? '').trim().toLowerCase();
  if (pathStyle !== '' && pathStyle !== 'true' && pathStyle !== 'false') {
    throw new Error(`S3_FORCE_PATH_STYLE must be "true" or "false", got "${env.S3_FORCE_PATH_STYLE}".`);
  }
  return { bucket, endpoint, region, forcePathStyle: pathStyle === 'true' };
}

function metricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  // A short token could be guessed by a scraper-sized number of tries.
  if (value.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters long.');
  return value;
}

function positive(value: string | undefined, fallback: number): number {
  return Number(value) > 0 ? Number(value) : fallback;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  return {
    port,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    orgName: env.REGISTRY_ORG || 'registry',
    adminUser: env.REGISTRY_ADMIN_USER || 'admin',
    adminPassword: env.REGISTRY_ADMIN_PASSWORD || undefined,
    adminApiKey: env.REGISTRY_ADMIN_API_KEY || undefined,
    maxBodyBytes: 1024 * 1024,
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES) > 0 ? Number(env.MAX_UPLOAD_BYTES) : 5 * 1024 ** 3,
    webDir: path.resolve(import.meta.dirname, '../dist'),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    trustedProxyHops: proxyHops(env.TRUSTED_PROXY_HOPS),
    metricsToken: metricsToken(env.METRICS_TOKEN),
    secretsKey: env.SECRETS_KEY || undefined,
    webhookAllowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
    webhookPollMs: positive(env.WEBHOOK_POLL_MS, 1000),
    webhookGiveUpMs: positive(env.WEBHOOK_GIVE_UP_MS, 24 * 3600 * 1000),
    webhookTimeoutMs: positive(env.WEBHOOK_TIMEOUT_MS, 10_000),
    webhookBackoffMs: positive(env.WEBHOOK_BACKOFF_MS, 1000),
    webhookLeaseMarginMs: positive(env.WEBHOOK_LEASE_MARGIN_MS, 30_000),
    shutdownTimeoutMs: Number(env.SHUTDOWN_TIMEOUT_MS) >= 0 && env.SHUTDOWN_TIMEOUT_MS ? Number(env.SHUTDOWN_TIMEOUT_MS) : 30_000,
    s3: s3Config(env),
  };
}

/**
 * CORS_ORIGINS: comma-separated exact origins (`scheme://host[:port]`). Each is compared byte for byte
 * with the browser's Origin header, so anything that could never equal one (a path, a trailing slash,
 * a wildcard) is refused at start rather than silently matching nothing.
 */
export function parseCorsOrigins(value: string | undefined): string[] {
  const origins = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      throw new Error(
        `CORS_ORIGINS: "${origin}" is not an exact origin. List origins as scheme://host[:port], lower case, ` +
          'with no path, no trailing slash and no wildcard, separated by commas, e.g. "https://ml.example.com,http://localhost:3000".',
      );
    }
  }
  return [...new Set(origins)];
}
