import { sql, type Kysely } from 'kysely';

// Sign-in throttling kept in the database (any process behind a load balancer sees the same counts),
// one-time password links, and users without a password until they choose one through such a link.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Counted per user name only, so anyone could lock anyone out; replaced by sign_in_throttles.
  await db.schema.dropTable('login_failures').execute();

  // One row per throttled key: `user:<name>`, `address:<ip>` or `address:<ip>|user:<name>`.
  await db.schema
    .createTable('sign_in_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Rows nobody failed on for a day are purged by the next failure; this finds them.
  await db.schema.createIndex('sign_in_throttles_last_failure').on('sign_in_throttles').column('last_failure_at').execute();

  await db.schema
    .createTable('password_links')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Only a digest of the token: a database leak gives no working link.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_links_user').on('password_links').column('user_id').execute();

  // A user made from an email alone (the SDK's createUser) has no password until they set one.
  await db.schema
    .alterTable('users')
    .alterColumn('password_hash', (c) => c.dropNotNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update users set password_hash = '!' where password_hash is null`.execute(db);
  await db.schema
    .alterTable('users')
    .alterColumn('password_hash', (c) => c.setNotNull())
    .execute();
  await db.schema.dropTable('password_links').execute();
  await db.schema.dropTable('sign_in_throttles').execute();
  await db.schema
    .createTable('login_failures')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .execute();
}
