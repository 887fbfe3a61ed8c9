export * from '../../scripts/lib/sdk-operations.js';
