import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The container files cannot be run on every machine that runs the tests (no container engine), so
// they are parsed and checked for what the README promises of them; `docker compose config` checks
// the compose file too where the Docker CLI has it.

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Instruction {
  stage: number;
  keyword: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped, each with its stage. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  let stage = -1;
  return joined
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, keyword = '', args = ''] = /^\s*(\w+)\s+(.*)$/.exec(line) ?? [];
      if (keyword.toUpperCase() === 'FROM') stage += 1;
      return { stage, keyword: keyword.toUpperCase(), args: args.trim() };
    });
}

describe('Dockerfile', () => {
  const all = instructions(read('Dockerfile'));
  const final = Math.max(...all.map((i) => i.stage));
  const last = all.filter((i) => i.stage === final);

  it('uses only known instructions, in stages built from Node 20', () => {
    const known = [
      'FROM',
      'RUN',
      'CMD',
      'LABEL',
      'EXPOSE',
      'ENV',
      'ADD',
      'COPY',
      'ENTRYPOINT',
      'VOLUME',
      'USER',
      'WORKDIR',
      'ARG',
      'STOPSIGNAL',
      'HEALTHCHECK',
      'SHELL',
    ];
    expect(all.filter((i) => !known.includes(i.keyword))).toEqual([]);
    const froms = all.filter((i) => i.keyword === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^node:20[-\w.]*( AS \w+)?$/);
  });

  it('runs the built app as a non-root user, with a health check and JSON-form CMD', () => {
    const user = last.filter((i) => i.keyword === 'USER').at(-1);
    expect(user?.args).toBeDefined();
    expect(['root', '0']).not.toContain(user?.args);
    const healthcheck = last.find((i) => i.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toContain('/readyz');
    const cmd = last.find((i) => i.keyword === 'CMD');
    expect(JSON.parse(cmd?.args ?? '')).toEqual(['node', '--import', 'tsx', 'server/index.ts']);
    // The runtime stage takes the build's output, not the whole source tree.
    const copies = last.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies.some((c) => /^\.\s/.test(c))).toBe(false);
    expect(last.some((i) => i.keyword === 'RUN' && i.args.includes('npm ci --omit=dev'))).toBe(true);
  });

  it('every path it copies exists, and .dockerignore keeps local data and dependencies out', () => {
    for (const copy of all.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) expect(fs.existsSync(path.join(root, source)), source).toBe(true);
    }
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'data', '.e2e-data', '.git']) expect(ignored).toContain(entry);
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<
      string,
      {
        build?: string;
        image?: string;
        environment?: Record<string, string>;
        depends_on?: Record<string, unknown> | string[];
        volumes?: string[];
        ports?: string[];
        healthcheck?: unknown;
        command?: string[];
        networks?: Record<string, { aliases?: string[] }>;
      }
    >;
    volumes: Record<string, unknown>;
  };

  it('runs PostgreSQL, MinIO and its bucket job, two Registry replicas from this Dockerfile on one database and one bucket, and a load balancer', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['lb', 'minio', 'minio-bucket', 'postgres', 'registry-1', 'registry-2']);
    for (const name of ['registry-1', 'registry-2']) {
      const replica = services[name];
      expect(replica?.build).toBe('.');
      expect(replica?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/registry:registry@postgres:5432\/registry$/);
      // Files in the bucket, not in a volume the replicas share.
      expect(replica?.volumes).toBeUndefined();
      expect(replica?.environment).toMatchObject({ S3_BUCKET: 'registry-files', S3_FORCE_PATH_STYLE: 'true' });
      expect(replica?.environment?.AWS_ACCESS_KEY_ID).toBe(services.minio?.environment?.MINIO_ROOT_USER);
      expect(replica?.environment?.AWS_SECRET_ACCESS_KEY).toBe(services.minio?.environment?.MINIO_ROOT_PASSWORD);
      // The bucket exists before either replica starts (the start checks it).
      expect(replica?.depends_on).toMatchObject({ 'minio-bucket': { condition: 'service_completed_successfully' } });
      // Secrets sealed by one replica must open on the other.
      expect(replica?.environment?.SECRETS_KEY).toMatch(/^\$\{SECRETS_KEY:\?/);
    }
    expect(services['registry-2']?.depends_on).toMatchObject({ 'registry-1': { condition: 'service_healthy' } });
    expect(services.postgres?.healthcheck).toBeDefined();
    expect(services.lb?.ports).toEqual(['8080:8080']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['minio', 'postgres']);
  });

  it('MinIO is reached by the replicas and the browser under the one name its URLs are signed for, and lets the app’s page use them', () => {
    const { services } = compose;
    const endpoint = new URL(services['registry-1']?.environment?.S3_ENDPOINT ?? '');
    // A *.localhost name: browsers take it to this machine (MinIO's published port), the compose network to MinIO.
    expect(endpoint.hostname).toMatch(/\.localhost$/);
    expect(services.minio?.networks?.default?.aliases).toContain(endpoint.hostname);
    expect(services.minio?.ports).toContain(`${endpoint.port}:9000`);
    expect(services.minio?.healthcheck).toBeDefined();
    // CORS for the app's own origin only: the load balancer's published port.
    expect(services.minio?.environment?.MINIO_API_CORS_ALLOW_ORIGIN).toBe('${REGISTRY_ORIGIN:-http://localhost:8080}');
    const job = services['minio-bucket'];
    expect(job?.image).toMatch(/^minio\/mc(:|$)/);
    expect(job?.depends_on).toMatchObject({ minio: { condition: 'service_healthy' } });
    const script = job?.command?.join(' ') ?? '';
    expect(script).toContain('mc alias set files http://minio:9000');
    expect(script).toContain(`mc mb --ignore-existing files/${services['registry-1']?.environment?.S3_BUCKET}`);
  });

  it('the load balancer sends traffic to both replicas and passes the request id on', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toContain('server registry-1:8080');
    expect(nginx).toContain('server registry-2:8080');
    expect(nginx).toContain('proxy_set_header X-Request-Id');
  });

  it('`docker compose config` accepts it where the Docker CLI has compose', () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status !== 0) return;
    const result = spawnSync('docker', ['compose', 'config', '--quiet'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        REGISTRY_ADMIN_PASSWORD: 'x'.repeat(12),
        SECRETS_KEY: Buffer.alloc(32).toString('base64'),
        MINIO_ROOT_PASSWORD: 'y'.repeat(12),
      },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
