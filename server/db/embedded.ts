import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';

// The embedded database's data directory as one tarball, and back: backups of a PGlite install.
// Only while no server has the directory open (data-lock.ts), or the copy could be torn.

/** The data directory `dir` as a gzipped tarball. */
export async function dumpEmbedded(dir: string): Promise<Buffer> {
  const lite = await PGlite.create(dir);
  try {
    return Buffer.from(await (await lite.dumpDataDir('gzip')).arrayBuffer());
  } finally {
    await lite.close();
  }
}

/** Recreates a data directory at `dir`, which must not exist yet, from a tarball of `dumpEmbedded`. */
export async function loadEmbedded(dir: string, tarball: Buffer): Promise<void> {
  const lite = await PGlite.create(dir, { loadDataDir: new Blob([new Uint8Array(tarball)]) });
  await lite.close();
}

export async function exists(target: string): Promise<boolean> {
  return fs.stat(target).then(
    () => true,
    () => false,
  );
}
