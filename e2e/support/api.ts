import { randomBytes } from 'node:crypto';
import { httpClient, type SeedClient } from '../../seed/client.js';
import { E2E_API_KEY } from './constants';

/**
 * Seeds the e2e server through its public API over HTTP (GraphQL with the admin's API key, file PUTs),
 * the way the SDK and scripts reach it: specs set up what they need without touching the database.
 */
export function seedClient(baseURL: string | undefined): SeedClient {
  if (!baseURL) throw new Error('baseURL is not configured');
  return httpClient(baseURL, E2E_API_KEY);
}

/** A name no other spec (or earlier run on the same server) uses. */
export const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
