import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, httpClient, type SeedClient } from '../../seed/client.js';
import { linkVersion } from '../../seed/collections.js';
import { createTeam } from '../../seed/people.js';
import { logVersion } from '../../seed/versions.js';
import { runCommand } from '../../server/cli.js';
import { readConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/main.js';

// The operator's commands against the embedded database, with a real server before and after.

const KEY = 'k'.repeat(40);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-cli-'));
const original = path.join(scratch, 'original');
const envOf = (dataDir: string) => ({ PORT: '0', DATA_DIR: dataDir, REGISTRY_ORG: 'acme', REGISTRY_ADMIN_API_KEY: KEY });

const start = (dataDir: string) => startServer({ ...readConfig(envOf(dataDir)), databaseUrl: undefined });
const client = (server: RunningServer): SeedClient => httpClient(`http://127.0.0.1:${server.port}`, KEY);

/** Every version's files, downloaded: `{ "<team>/<name>:v<N>": { "<file>": "<content>" } }`. */
async function everything(server: RunningServer): Promise<Record<string, Record<string, string>>> {
  const api = client(server);
  const found = await data<{
    project: {
      artifactCollections: { edges: { node: { name: string; artifacts: { edges: { node: { id: string; versionIndex: number } }[] } } }[] };
    };
  }>(
    api,
    '{ project(entityName: "vision", name: "training") { artifactCollections { edges { node { name artifacts { edges { node { id versionIndex } } } } } } } }',
  );
  const result: Record<string, Record<string, string>> = {};
  for (const { node: collection } of found.project.artifactCollections.edges) {
    for (const { node: version } of collection.artifacts.edges) {
      const files = await data<{ artifact: { files: { edges: { node: { name: string; directUrl: string } }[] } } }>(
        api,
        'query ($id: ID!) { artifact(id: $id) { files { edges { node { name directUrl } } } } }',
        { id: version.id },
      );
      const contents: Record<string, string> = {};
      for (const { node } of files.artifact.files.edges) {
        const { pathname, search } = new URL(node.directUrl);
        contents[node.name] = await (await fetch(`http://127.0.0.1:${server.port}${pathname}${search}`)).text();
      }
      result[`vision/${collection.name}:v${version.versionIndex}`] = contents;
    }
  }
  return result;
}

let before: Record<string, Record<string, string>>;

beforeAll(async () => {
  const server = await start(original);
  try {
    const api = client(server);
    await createTeam(api, { name: 'vision', members: ['admin'] });
    for (let i = 0; i < 3; i++) {
      const logged = await logVersion(api, {
        entity: 'vision',
        project: 'training',
        name: 'detector',
        type: 'model',
        files: { 'weights.bin': `weights ${i}`, 'config.json': `{"layers": ${50 + i}}` },
      });
      if (i === 2)
        await linkVersion(api, { artifactId: logged.artifactId, registry: 'model', collection: 'detector', aliases: ['production'] });
    }
    await logVersion(api, { entity: 'vision', project: 'training', name: 'images', type: 'dataset', files: { 'index.csv': 'a,b\n1,2\n' } });
    before = await everything(server);
  } finally {
    await server.stop();
  }
}, 120_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('backup and restore', () => {
  it('a backup restored into a fresh DATA_DIR serves every version, file and link', async () => {
    expect(Object.keys(before)).toHaveLength(4);
    const folder = path.join(scratch, 'backup-1');
    expect(await runCommand(['backup', folder], envOf(original))).toBe(`Backed up the database and stored files to ${folder}.`);
    const restored = path.join(scratch, 'restored');
    expect(await runCommand(['restore', folder], envOf(restored))).toMatch(/^Restored the database and stored files of .* into /);
    const server = await start(restored);
    try {
      expect(await everything(server)).toEqual(before);
      const linked = await data<{ project: { artifactCollection: { artifactMembership: { aliases: { alias: string }[] } } } }>(
        client(server),
        '{ project(entityName: "acme", name: "wandb-registry-model") { artifactCollection(name: "detector") { artifactMembership(aliasName: "production") { aliases { alias } } } } }',
      );
      expect(linked.project.artifactCollection.artifactMembership.aliases.map((a) => a.alias).sort()).toEqual(['latest', 'production']);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('refuses to overwrite: an existing backup folder, a DATA_DIR that holds data, a folder that is no backup', async () => {
    const folder = path.join(scratch, 'backup-2');
    await runCommand(['backup', folder], envOf(original));
    await expect(runCommand(['backup', folder], envOf(original))).rejects.toThrow(/exists: give a new folder/);
    await expect(runCommand(['restore', folder], envOf(original))).rejects.toThrow(/exists: restore into an empty DATA_DIR/);
    await expect(runCommand(['restore', scratch], envOf(path.join(scratch, 'empty')))).rejects.toThrow(/is not a finished Registry backup/);
  }, 120_000);

  it('refuses while a live process holds the data directory, naming it', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(original, 'registry.pid'), String(holder.pid));
      const folder = path.join(scratch, 'backup-3');
      await expect(runCommand(['backup', folder], envOf(original))).rejects.toThrow(`is in use by process ${holder.pid}`);
      expect(fs.existsSync(folder)).toBe(false);
      await expect(start(original)).rejects.toThrow(`is in use by process ${holder.pid}`);
    } finally {
      holder.kill();
      fs.rmSync(path.join(original, 'registry.pid'), { force: true });
    }
  });
});

describe('users and the schema', () => {
  it('create-user and reset-password print one-time links at PUBLIC_URL; bad input says what to fix', async () => {
    const env = { ...envOf(original), PUBLIC_URL: 'https://registry.example.com/' };
    const created = await runCommand(['create-user', 'nora', '--role', 'viewer'], env);
    expect(created).toMatch(
      /^Created user "nora" \(viewer\)\. Give them this link .*\nhttps:\/\/registry\.example\.com\/set-password#\S{20,}$/,
    );
    const reset = await runCommand(['reset-password', 'nora'], env);
    expect(reset).toMatch(/^Signed "nora" out everywhere\..*\nhttps:\/\/registry\.example\.com\/set-password#\S{20,}$/);
    await expect(runCommand(['reset-password', 'nobody'], env)).rejects.toThrow('User "nobody" was not found.');
    await expect(runCommand(['create-user', 'nora'], env)).rejects.toThrow(/is taken by a user, team or the organization/);
    await expect(runCommand(['create-user', 'x', '--role', 'owner'], env)).rejects.toThrow(/Organization role/);
    await expect(runCommand(['create-user'], env)).rejects.toThrow(/Give the new user’s username/);
    await expect(runCommand(['create-user', 'y', '--rol', 'admin'], env)).rejects.toThrow(/Unknown option --rol/);
    await expect(runCommand(['frobnicate'], env)).rejects.toThrow(/Unknown command "frobnicate"/);
    expect(await runCommand(['migrate'], env)).toBe('The database schema is up to date.');
  }, 60_000);
});
