import { sql } from 'kysely';
import type { DB } from '../../db/database.js';
import { digest, hashPassword, newApiKey, newSecret } from '../auth/crypto.js';

export interface BootstrapInput {
  orgName: string;
  adminUser: string;
  adminPassword: string | undefined;
  adminApiKey: string | undefined;
}

export interface BootstrapResult {
  created: boolean;
  /** Credentials that were generated (not given) and must be shown once. */
  generated: { password?: string; apiKey?: string };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const CORE_REGISTRIES = [
  { name: 'model', title: 'Models', description: 'Model versions published for the whole organization.', type: 'model' },
  { name: 'dataset', title: 'Datasets', description: 'Dataset versions published for the whole organization.', type: 'dataset' },
] as const;

function validate(input: BootstrapInput): void {
  if (!NAME.test(input.orgName)) {
    throw new Error(`REGISTRY_ORG "${input.orgName}" must be 1-64 letters, digits, "-", "_" or ".", starting with a letter or digit.`);
  }
  if (!NAME.test(input.adminUser)) {
    throw new Error(`REGISTRY_ADMIN_USER "${input.adminUser}" must be 1-64 letters, digits, "-", "_" or ".".`);
  }
  if (input.adminUser === input.orgName) {
    throw new Error('REGISTRY_ADMIN_USER must differ from REGISTRY_ORG: both name an entity.');
  }
  if (input.adminPassword !== undefined && input.adminPassword.length < 8) {
    throw new Error('REGISTRY_ADMIN_PASSWORD must be at least 8 characters.');
  }
  if (input.adminApiKey !== undefined && !/^[\x21-\x7e]{20,256}$/.test(input.adminApiKey)) {
    throw new Error('REGISTRY_ADMIN_API_KEY must be 20-256 printable characters without spaces.');
  }
}

/**
 * First start: the organization with its entity, the admin and the two core registries, in one
 * transaction. Any later start finds the organization and changes nothing.
 */
export async function bootstrap(db: DB, input: BootstrapInput): Promise<BootstrapResult> {
  validate(input);
  return db.transaction().execute(async (trx) => {
    // Several processes starting at once on one PostgreSQL: one sets up, the others then find it done.
    await sql`select pg_advisory_xact_lock(727001)`.execute(trx);
    const existing = await trx.selectFrom('organizations').select('id').executeTakeFirst();
    if (existing) return { created: false, generated: {} };

    const org = await trx.insertInto('organizations').values({ name: input.orgName }).returning('id').executeTakeFirstOrThrow();
    const orgEntity = await trx
      .insertInto('entities')
      .values({ organization_id: org.id, name: input.orgName, kind: 'ORGANIZATION' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('organizations').set({ org_entity_id: orgEntity.id }).where('id', '=', org.id).execute();

    const password = input.adminPassword ?? newSecret(15);
    const apiKey = input.adminApiKey ?? newApiKey();
    const userEntity = await trx
      .insertInto('entities')
      .values({ organization_id: org.id, name: input.adminUser, kind: 'USER' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const admin = await trx
      .insertInto('users')
      .values({
        organization_id: org.id,
        entity_id: userEntity.id,
        username: input.adminUser,
        name: input.adminUser,
        password_hash: await hashPassword(password),
        org_role: 'admin',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('api_keys')
      .values({ user_id: admin.id, key_hash: digest(apiKey), prefix: apiKey.slice(0, 6), description: 'Created at first start' })
      .execute();

    for (const core of CORE_REGISTRIES) {
      const project = await trx
        .insertInto('projects')
        .values({
          entity_id: orgEntity.id,
          name: `wandb-registry-${core.name}`,
          display_name: core.title,
          description: core.description,
          access: 'PRIVATE',
          is_registry: true,
          is_core: true,
          allow_all_types: false,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('registry_types').values({ project_id: project.id, type_name: core.type }).execute();
    }

    return {
      created: true,
      generated: {
        ...(input.adminPassword === undefined ? { password } : {}),
        ...(input.adminApiKey === undefined ? { apiKey } : {}),
      },
    };
  });
}
