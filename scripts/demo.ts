// `npm run demo`: starts like `npm start` and loads the demo sample once (see seed/demo.ts).
import { demoSampleLoaded, loadDemoSample } from '../seed/demo.js';
import { inProcessClient } from '../seed/client.js';
import { main } from '../server/main.js';
import { newApiKey } from '../server/modules/auth/crypto.js';
import { deleteApiKey, findUserByUsername, insertApiKey } from '../server/modules/auth/repository.js';
import { buildIfNeeded } from './build-if-needed.js';

buildIfNeeded();
const server = await main();
const admin = await findUserByUsername(server.db, server.config.adminUser);
if (!admin) throw new Error(`admin "${server.config.adminUser}" not found`);
// The demo knows no credential of the admin's (the first start printed them once): it gives itself
// a key of the admin's for loading only, revoked when done. Everything else goes through the API.
const loaderKey = newApiKey();
const keyRow = await insertApiKey(server.db, admin.id, loaderKey, 'demo loader');
const seed = inProcessClient(server.app, { key: loaderKey, origin: `http://localhost:${server.port}` });
if (await demoSampleLoaded(seed)) {
  console.log('The demo sample is already loaded.');
} else {
  console.log('Loading the demo sample…');
  const users = await loadDemoSample(seed, { org: server.config.orgName, adminUser: server.config.adminUser });
  console.log('Demo sample loaded. Sign in as:');
  for (const user of users) console.log(`  ${user.username.padEnd(6)} (${user.orgRole.padEnd(6)}) password: ${user.password}`);
  console.log(
    `  ${server.config.adminUser} with the admin password of the first start (REGISTRY_ADMIN_PASSWORD, or the one printed then).`,
  );
}
await deleteApiKey(server.db, admin.id, keyRow.id);
