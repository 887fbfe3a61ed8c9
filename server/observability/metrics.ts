import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// Prometheus metrics. Process metrics (CPU, memory, event-loop lag, GC) are collected once per process;
// each app (one per server, several in a test process) has its own request and database metrics, and
// `/metrics` serves both.

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'registry_' });
  }
  return processRegistry;
}

/** What a route kind is called in the `route` label: a fixed set, whatever the path. */
export type RouteKind = 'graphql' | 'api' | 'files_upload' | 'files_download' | 'health' | 'metrics' | 'page';

/** Operation names are the client's to choose: past this many distinct ones, the rest count as "other". */
const MAX_OPERATION_NAMES = 300;

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export function createMetrics(poolStats: () => PoolStats | undefined) {
  const registry = new Registry();
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  const requests = new Histogram({
    name: 'registry_http_request_duration_seconds',
    help: 'HTTP requests by route kind, method and status, with their duration.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: seconds,
    registers: [registry],
  });
  const operations = new Histogram({
    name: 'registry_graphql_operation_duration_seconds',
    help: 'GraphQL requests by operation name and outcome (ok, or error when the answer carried errors or was not 200).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: seconds,
    registers: [registry],
  });
  const transferred = new Counter({
    name: 'registry_blob_transfer_bytes_total',
    help: 'File bytes received (upload) and sent (download) through the server, by what the request declared.',
    labelNames: ['direction'] as const,
    registers: [registry],
  });
  const transfers = new Counter({
    name: 'registry_blob_transfers_total',
    help: 'File uploads and downloads through the server, by outcome.',
    labelNames: ['direction', 'outcome'] as const,
    registers: [registry],
  });
  for (const [name, help, key] of [
    ['registry_db_pool_connections', 'Connections the PostgreSQL pool holds (0 on the embedded database).', 'total'],
    ['registry_db_pool_idle_connections', 'Idle connections in the PostgreSQL pool.', 'idle'],
    ['registry_db_pool_waiting_requests', 'Queries waiting for a PostgreSQL connection.', 'waiting'],
  ] as const) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(poolStats()?.[key] ?? 0);
      },
    });
  }

  const operationNames = new Set<string>();
  function operationLabel(name: string | undefined): string {
    if (!name) return 'anonymous';
    if (operationNames.has(name)) return name;
    if (operationNames.size >= MAX_OPERATION_NAMES || !/^\w{1,64}$/.test(name)) return 'other';
    operationNames.add(name);
    return name;
  }

  return {
    /** Records one finished request. */
    observe(entry: {
      route: RouteKind;
      method: string;
      status: number;
      seconds: number;
      operation?: string;
      failed?: boolean;
      bytes?: number;
    }) {
      const method = ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'DELETE'].includes(entry.method) ? entry.method : 'other';
      requests.observe({ route: entry.route, method, status: String(entry.status) }, entry.seconds);
      if (entry.route === 'graphql' && entry.method !== 'OPTIONS') {
        const outcome = entry.failed || entry.status !== 200 ? 'error' : 'ok';
        operations.observe({ operation: operationLabel(entry.operation), outcome }, entry.seconds);
      }
      if (entry.route === 'files_upload' || entry.route === 'files_download') {
        const direction = entry.route === 'files_upload' ? 'upload' : 'download';
        const ok = entry.status >= 200 && entry.status < 300;
        transfers.inc({ direction, outcome: ok ? 'ok' : 'error' });
        if (ok && entry.bytes) transferred.inc({ direction }, entry.bytes);
      }
    },
    /** The text Prometheus scrapes: process metrics and this app's. */
    async text(): Promise<{ body: string; contentType: string }> {
      const merged = Registry.merge([processMetrics(), registry]);
      return { body: await merged.metrics(), contentType: merged.contentType };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
