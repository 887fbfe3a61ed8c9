// Writes schema.graphql from the server's schema; the client's types are generated from that file.
import fs from 'node:fs';
import { printedSchema } from '../server/graphql/schema.js';

fs.writeFileSync(new URL('../schema.graphql', import.meta.url), printedSchema());
console.log('schema.graphql written');
