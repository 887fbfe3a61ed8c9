import { sql } from 'kysely';
import type { DB } from './database.js';

/** The cheapest statement that proves the database answers (`/readyz`). */
export async function pingDatabase(db: DB): Promise<void> {
  await sql`select 1`.execute(db);
}
