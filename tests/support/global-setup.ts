import { prepareTemplate } from './db.js';

/** Built before any test file starts, so parallel test processes do not each build it at once. */
export default async function setup(): Promise<void> {
  await prepareTemplate();
}
