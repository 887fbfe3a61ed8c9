import http, { type IncomingMessage } from 'node:http';
import path from 'node:path';
import { createServerAdapter } from '@whatwg-node/server';
import { createApp, type App } from './app.js';
import { readConfig, type Config } from './config.js';
import { migrateToLatest, openDatabase, type DB } from './db/database.js';
import { backfillContentKeys } from './modules/artifacts/backfill.js';
import { bootstrap } from './modules/organization/bootstrap.js';
import { removeStaleParts } from './storage/blobs.js';
import { removeAbandonedUploads } from './storage/parts.js';
import { checkS3Access } from './storage/s3.js';
import { log } from './observability/log.js';
import { lockDataDir } from './db/data-lock.js';
import { startDeliveryWorker } from './modules/automations/worker.js';

export interface RunningServer {
  config: Config;
  db: DB;
  app: App;
  port: number;
  /** Stops accepting, lets requests in flight finish, then closes the database. */
  stop(): Promise<void>;
}

/**
 * The client's address: the socket's peer, or with `hops` trusted proxies in front, the address the
 * outermost of them saw (the hops-th entry of X-Forwarded-For from the right; each proxy appends the
 * peer it saw, so entries further left are whatever the client wrote).
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - hops] ?? peer;
}

/** The app as a node:http request listener that tells it each request's client address. */
export function httpHandler(app: App, trustedProxyHops: number) {
  return createServerAdapter<{ req: IncomingMessage }>((request, { req }) =>
    app.fetchFrom(request, { clientAddress: clientAddress(req, trustedProxyHops) }),
  );
}

/** Migrations, first-start set-up, then HTTP. */
export async function startServer(config: Config = readConfig()): Promise<RunningServer> {
  if (config.s3) {
    const problem = await checkS3Access(config.s3);
    if (problem) log.warn(problem);
  }
  // An embedded database belongs to one process (backup and restore check this too).
  const release = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir, 'starting another server on it');
  const db = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: path.join(config.dataDir, 'db') },
  );
  await migrateToLatest(db);
  const backfill = await backfillContentKeys(db, config.dataDir);
  if (backfill.adopted > 0) log.info(`Stored content: ${backfill.adopted} blob(s) renamed to their SHA-256.`);
  if (backfill.missing.length > 0) {
    log.error(
      `Stored content: ${backfill.missing.length} blob(s) missing or damaged under ${config.dataDir}/blobs (MD5 ${backfill.missing.slice(0, 5).join(', ')}…); their files cannot be downloaded.`,
    );
  }
  const setup = await bootstrap(db, {
    orgName: config.orgName,
    adminUser: config.adminUser,
    adminPassword: config.adminPassword,
    adminApiKey: config.adminApiKey,
  });
  if (setup.created) {
    log.info(`Created organization "${config.orgName}", admin "${config.adminUser}", registries "model" and "dataset".`);
    if (setup.generated.password) log.warn(`admin password (shown once): ${setup.generated.password}`);
    if (setup.generated.apiKey) log.warn(`admin API key (shown once): ${setup.generated.apiKey}`);
  }

  const stale = await removeStaleParts(config.dataDir);
  if (stale > 0) log.info(`Removed ${stale} unfinished upload${stale === 1 ? '' : 's'} left by an earlier run (blobs/tmp).`);
  const abandoned = await removeAbandonedUploads(config.dataDir);
  if (abandoned > 0) log.info(`Removed ${abandoned} multipart upload${abandoned === 1 ? '' : 's'} untouched for a week (blobs/multipart).`);

  const app = createApp(db, { ...config, allowPrivateNetworks: config.webhookAllowPrivateNetworks });
  const worker = startDeliveryWorker(db, {
    settings: app.settings,
    giveUpMs: config.webhookGiveUpMs,
    pollMs: config.webhookPollMs,
    timeoutMs: config.webhookTimeoutMs,
    backoffMs: config.webhookBackoffMs,
    leaseMarginMs: config.webhookLeaseMarginMs,
  });
  const server = http.createServer(httpHandler(app, config.trustedProxyHops));
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info(
    `Registry listening on http://localhost:${port} (${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`}; files in ${config.s3 ? `S3 bucket ${config.s3.bucket}` : `${config.dataDir}/blobs`})`,
  );

  return {
    config,
    db,
    app,
    port,
    async stop() {
      // Readiness fails first, so a load balancer stops sending work while what is running finishes.
      app.drain();
      const closed = new Promise<void>((resolve) => server.once('close', resolve));
      server.close();
      server.closeIdleConnections();
      // Uploads and downloads under way get their time; past it, the connections left are cut.
      const cut = setTimeout(() => {
        log.warn(`Shutdown: requests still open after ${config.shutdownTimeoutMs} ms are cut.`);
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await closed;
      clearTimeout(cut);
      // Deliveries under way finish (or their lease lapses and the next start sends them again).
      await worker.stop();
      await db.destroy();
      release();
    },
  };
}

/** `npm start`: the server until SIGINT/SIGTERM, which end it without half-written data. */
export async function main(): Promise<RunningServer> {
  const running = await startServer();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing open requests, then closing the database.`);
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return running;
}
