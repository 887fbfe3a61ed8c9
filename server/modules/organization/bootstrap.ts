import type { DB } from '../../db/database.js';
import { digest, hashPassword, newApiKey, newSecret } from '../auth/crypto.js';
import { anyOrganizationExists, insertFirstOrganization, lockFirstStart } from './repository.js';

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
    await lockFirstStart(trx);
    if (await anyOrganizationExists(trx)) return { created: false, generated: {} };

    const password = input.adminPassword ?? newSecret(15);
    const apiKey = input.adminApiKey ?? newApiKey();
    await insertFirstOrganization(trx, {
      orgName: input.orgName,
      adminUser: input.adminUser,
      passwordHash: await hashPassword(password),
      apiKeyHash: digest(apiKey),
      apiKeyPrefix: apiKey.slice(0, 6),
      coreRegistries: CORE_REGISTRIES,
    });

    return {
      created: true,
      generated: {
        ...(input.adminPassword === undefined ? { password } : {}),
        ...(input.adminApiKey === undefined ? { apiKey } : {}),
      },
    };
  });
}
