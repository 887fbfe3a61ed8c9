// Seeding through the registry's own API, for Vitest, Playwright and the demo alike.
export * from './client.js';
export * from './collections.js';
export * from './people.js';
export * from './registries.js';
export * from './sdk-logging.js';
export * from './sdk-operations.js';
export * from './versions.js';
