// `npm run registry -- <command>`: the operator's commands (server/cli.ts).
import { runCommand } from '../server/cli.js';

try {
  console.log(await runCommand(process.argv.slice(2)));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
