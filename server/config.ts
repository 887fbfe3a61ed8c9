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
}

function proxyHops(value: string | undefined): number {
  const hops = Number(value ?? 0);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`TRUSTED_PROXY_HOPS must be an integer between 0 and 10, got "${value}"`);
  }
  return hops;
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
    shutdownTimeoutMs: Number(env.SHUTDOWN_TIMEOUT_MS) >= 0 && env.SHUTDOWN_TIMEOUT_MS ? Number(env.SHUTDOWN_TIMEOUT_MS) : 30_000,
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
