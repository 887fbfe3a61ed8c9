// `npm start`: builds the web app when its sources changed since the last build, then starts the server.
import { buildIfNeeded } from './build-if-needed.js';

buildIfNeeded();
await import('../server/index.js');
