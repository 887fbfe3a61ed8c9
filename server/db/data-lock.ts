import fs from 'node:fs';
import path from 'node:path';

// One process at a time on an embedded data directory: two PGlite instances writing the same files
// corrupt them. The server holds `<dataDir>/registry.pid` while it runs; the admin commands that open
// the directory (backup, restore, migrate) refuse while a live process holds it.

const LOCK = 'registry.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live process holding `dataDir`, other than this one; undefined when free. */
export function holderOf(dataDir: string): number | undefined {
  const text = fs.readFileSync(path.join(dataDir, LOCK), 'utf8').trim() || '';
  const pid = Number(text);
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

function safeHolderOf(dataDir: string): number | undefined {
  try {
    return holderOf(dataDir);
  } catch {
    return undefined;
  }
}

/** Takes `dataDir` for this process, or throws naming the process that has it. Returns the release. */
export function lockDataDir(dataDir: string, what: string): () => void {
  const holder = safeHolderOf(dataDir);
  if (holder !== undefined) {
    throw new Error(`${dataDir} is in use by process ${holder} (a running Registry server?): stop it before ${what}.`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK);
  fs.writeFileSync(file, String(process.pid));
  return () => {
    if (safeHolderOf(dataDir) === undefined) fs.rmSync(file, { force: true });
  };
}
