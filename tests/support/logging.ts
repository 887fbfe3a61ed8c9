// Logging as the SDK does lives with the demo sample loader, which logs its versions the same way.
export * from '../../scripts/lib/sdk-logging.js';
