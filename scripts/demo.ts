// `npm run demo`: starts like `npm start` and loads the demo sample once (see demo-sample.ts).
import { main } from '../server/main.js';
import { buildIfNeeded } from './build-if-needed.js';
import { demoSampleLoaded, loadDemoSample } from './demo-sample.js';

buildIfNeeded();
const server = await main();
if (await demoSampleLoaded(server.db)) {
  console.log('The demo sample is already loaded.');
} else {
  console.log('Loading the demo sample…');
  const users = await loadDemoSample({
    app: server.app,
    db: server.db,
    dataDir: server.config.dataDir,
    org: server.config.orgName,
    adminUser: server.config.adminUser,
    origin: `http://localhost:${server.port}`,
  });
  console.log('Demo sample loaded. Sign in as:');
  for (const user of users) console.log(`  ${user.username.padEnd(6)} (${user.orgRole.padEnd(6)}) password: ${user.password}`);
  console.log(
    `  ${server.config.adminUser} with the admin password of the first start (REGISTRY_ADMIN_PASSWORD, or the one printed then).`,
  );
}
