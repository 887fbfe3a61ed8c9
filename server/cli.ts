import fs from 'node:fs/promises';
import path from 'node:path';
import { readConfig, type Config } from './config.js';
import { holderOf, lockDataDir } from './db/data-lock.js';
import { migrateToLatest, openDatabase, type DB } from './db/database.js';
import { dumpEmbedded, exists, loadEmbedded } from './db/embedded.js';
import { resetPassword } from './modules/auth/passwords.js';
import { operatorAdmin } from './modules/auth/service.js';
import { createUser } from './modules/teams/service.js';
import { KEY_FILE } from './storage/secrets-key.js';

// `npm run registry -- <command>`: what an operator does on the server's machine, with the server's
// configuration (DATA_DIR, DATABASE_URL). Changes are made as the first organization admin.

export const USAGE = `Usage: npm run registry -- <command>

  create-user <username> [--email <address>] [--role admin|member|viewer]
                       a user, and the one-time link (valid a week) they choose a password with
  reset-password <username>
                       a one-time link (valid a day) to choose a new password; ends the user's sessions
  migrate              brings the database schema up to date (the server also does this at start)
  backup <folder>      the embedded database and the stored files into <folder>, which must not exist;
                       with DATABASE_URL, the files only (back PostgreSQL up with pg_dump)
  restore <folder>     a backup into an empty DATA_DIR (stop the server first)

Links start with PUBLIC_URL (default http://localhost:$PORT).`;

/** What the backup folder holds, written last: a folder without it is not a finished backup. */
interface BackupManifest {
  format: 'registry-backup-1';
  createdAt: string;
  /** False when the database is PostgreSQL, which pg_dump backs up. */
  database: boolean;
}

const MANIFEST = 'registry-backup.json';
const DATABASE_FILE = 'database.tar.gz';

/** The value after `--name`, and the arguments without the option. */
function option(args: string[], name: string): [string | undefined, string[]] {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return [undefined, args];
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value.`);
  return [value, [...args.slice(0, at), ...args.slice(at + 2)]];
}

function only(args: string[], what: string): string {
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) throw new Error(`Unknown option ${unknown}.\n\n${USAGE}`);
  if (args.length !== 1 || !args[0]) throw new Error(`Give ${what}.\n\n${USAGE}`);
  return args[0];
}

async function withDatabase<T>(config: Config, what: string, work: (db: DB) => Promise<T>): Promise<T> {
  const release = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir, what);
  const db = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: path.join(config.dataDir, 'db') },
  );
  try {
    return await work(db);
  } finally {
    await db.destroy();
    release();
  }
}

function publicUrl(config: Config, env: NodeJS.ProcessEnv): string {
  return (env.PUBLIC_URL || `http://localhost:${config.port}`).replace(/\/+$/, '');
}

async function backup(config: Config, folder: string): Promise<string> {
  const target = path.resolve(folder);
  if (await exists(target)) throw new Error(`${target} exists: give a new folder, so no earlier backup is overwritten.`);
  const embedded = !config.databaseUrl;
  const release = embedded ? lockDataDir(config.dataDir, 'backing up') : () => undefined;
  try {
    await fs.mkdir(target, { recursive: true });
    if (embedded) await fs.writeFile(path.join(target, DATABASE_FILE), await dumpEmbedded(path.join(config.dataDir, 'db')));
    const blobs = path.join(config.dataDir, 'blobs');
    if (await exists(blobs)) {
      // Unfinished uploads are not part of any version.
      await fs.cp(blobs, path.join(target, 'blobs'), { recursive: true, filter: (source) => path.basename(source) !== 'tmp' });
    }
    // The key sealing team secrets (unless SECRETS_KEY gives it): without it they are lost.
    const key = path.join(config.dataDir, KEY_FILE);
    if (await exists(key)) {
      await fs.copyFile(key, path.join(target, KEY_FILE));
      await fs.chmod(path.join(target, KEY_FILE), 0o600);
    }
    const manifest: BackupManifest = { format: 'registry-backup-1', createdAt: new Date().toISOString(), database: embedded };
    await fs.writeFile(path.join(target, MANIFEST), JSON.stringify(manifest, null, 2));
  } finally {
    release();
  }
  return embedded
    ? `Backed up the database and stored files to ${target}.`
    : `Backed up the stored files to ${target}. Back the PostgreSQL database up with: pg_dump --format=custom --file=registry.dump "$DATABASE_URL"`;
}

async function restore(config: Config, folder: string): Promise<string> {
  const source = path.resolve(folder);
  const manifest = JSON.parse(await fs.readFile(path.join(source, MANIFEST), 'utf8').catch(() => 'null')) as BackupManifest | null;
  if (manifest?.format !== 'registry-backup-1') throw new Error(`${source} is not a finished Registry backup (no ${MANIFEST}).`);
  const holder = (await exists(config.dataDir)) ? safeHolder(config.dataDir) : undefined;
  if (holder !== undefined) throw new Error(`${config.dataDir} is in use by process ${holder}: stop the server before restoring.`);
  for (const part of ['db', 'blobs']) {
    if (await exists(path.join(config.dataDir, part))) {
      throw new Error(`${path.join(config.dataDir, part)} exists: restore into an empty DATA_DIR, so nothing is overwritten.`);
    }
  }
  if (manifest.database && config.databaseUrl) {
    throw new Error('This backup holds an embedded database, but DATABASE_URL is set: unset it to restore into DATA_DIR.');
  }
  const release = lockDataDir(config.dataDir, 'restoring');
  try {
    if (manifest.database) await loadEmbedded(path.join(config.dataDir, 'db'), await fs.readFile(path.join(source, DATABASE_FILE)));
    if (await exists(path.join(source, 'blobs')))
      await fs.cp(path.join(source, 'blobs'), path.join(config.dataDir, 'blobs'), { recursive: true });
    if ((await exists(path.join(source, KEY_FILE))) && !(await exists(path.join(config.dataDir, KEY_FILE)))) {
      await fs.mkdir(config.dataDir, { recursive: true });
      await fs.copyFile(path.join(source, KEY_FILE), path.join(config.dataDir, KEY_FILE));
      await fs.chmod(path.join(config.dataDir, KEY_FILE), 0o600);
    }
  } finally {
    release();
  }
  return manifest.database
    ? `Restored the database and stored files of ${manifest.createdAt} into ${config.dataDir}.`
    : `Restored the stored files of ${manifest.createdAt} into ${config.dataDir}. Restore PostgreSQL with: pg_restore --dbname="$DATABASE_URL" registry.dump`;
}

function safeHolder(dataDir: string): number | undefined {
  try {
    return holderOf(dataDir);
  } catch {
    return undefined;
  }
}

/** Runs one command; returns what to print. Throws an Error whose message says what to fix. */
export async function runCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const [command, ...rest] = argv;
  const config = readConfig(env);
  switch (command) {
    case 'create-user': {
      const [email, withoutEmail] = option(rest, 'email');
      const [role, args] = option(withoutEmail, 'role');
      const username = only(args, 'the new user’s username');
      return withDatabase(config, 'creating a user', async (db) => {
        const admin = await operatorAdmin(db);
        const { user, passwordLink } = await createUser(db, admin, { username, email, orgRole: role ?? 'member' }, publicUrl(config, env));
        return `Created user "${user.username}" (${user.org_role}). Give them this link to choose a password (valid until ${passwordLink?.expiresAt.toISOString()}):\n${passwordLink?.url}`;
      });
    }
    case 'reset-password': {
      const username = only(rest, 'the username');
      return withDatabase(config, 'resetting a password', async (db) => {
        const { user, passwordLink } = await resetPassword(db, await operatorAdmin(db), username, publicUrl(config, env));
        return `Signed "${user.username}" out everywhere. Give them this link to choose a new password (valid until ${passwordLink.expiresAt.toISOString()}):\n${passwordLink.url}`;
      });
    }
    case 'migrate':
      if (rest.length > 0) throw new Error(`migrate takes no arguments.\n\n${USAGE}`);
      return withDatabase(config, 'migrating', async (db) => {
        await migrateToLatest(db);
        return 'The database schema is up to date.';
      });
    case 'backup':
      return backup(config, only(rest, 'the folder to write the backup to'));
    case 'restore':
      return restore(config, only(rest, 'the backup folder'));
    case undefined:
    case 'help':
    case '--help':
      return USAGE;
    default:
      throw new Error(`Unknown command "${command}".\n\n${USAGE}`);
  }
}
