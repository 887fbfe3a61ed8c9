import type { DB } from '../../db/database.js';
import { legacyLocalBlobs } from '../../storage/blobs.js';
import { bindLegacyBlob, legacyBlobNames } from './repository-files.js';

/**
 * Once, at start: content stored before SHA-256 keys (named by MD5) gets its SHA-256 name and every
 * file row pointing at it is bound to that. Per blob: link under the new name, bind the rows, drop
 * the old name, so it is idempotent and a crash at any step is finished by the next start (several
 * processes doing it at once do the same writes). A blob whose file is missing or does not match its
 * MD5 is left as it was and reported: its files stay without content rather than get other bytes.
 */
export async function backfillContentKeys(db: DB, dataDir: string): Promise<{ adopted: number; missing: string[] }> {
  const legacy = legacyLocalBlobs(dataDir);
  const missing: string[] = [];
  let adopted = 0;
  let after = '';
  for (;;) {
    const names = await legacyBlobNames(db, after, 500);
    if (names.length === 0) break;
    for (const md5hex of names) {
      const content = await legacy.adopt(md5hex);
      if (!content) {
        missing.push(md5hex);
        continue;
      }
      await bindLegacyBlob(db, md5hex, { sha256: content.sha256hex, size: content.size });
      await legacy.drop(md5hex);
      adopted += 1;
    }
    after = names.at(-1) ?? after;
  }
  return { adopted, missing };
}
