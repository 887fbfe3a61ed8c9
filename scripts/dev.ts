// `npm run dev`: Vite with hot reload on PORT (5173), the server restarting on change on SERVER_PORT (8080).
import { spawn, type ChildProcess } from 'node:child_process';

const serverPort = process.env.SERVER_PORT ?? '8080';
const children: ChildProcess[] = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/index.ts'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: serverPort },
  }),
  spawn('npx', ['vite'], { stdio: 'inherit', env: { ...process.env, SERVER_PORT: serverPort } }),
];

function stop() {
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', (code) => (code ? (stop(), process.exit(code)) : undefined));
