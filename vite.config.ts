import fs from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { documentsIn, graphcacheSchema } from './shared/graphcache-schema.js';

const SCHEMA_MODULE = 'virtual:schema-introspection';

/** The GraphQL documents of the app's sources. */
function appDocuments(): string[] {
  const src = new URL('./src/', import.meta.url);
  return fs
    .readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
    .flatMap((file) => documentsIn(fs.readFileSync(new URL(file, src), 'utf8')));
}

/**
 * Gives Graphcache the schema from schema.graphql as it reads it: in the production build, only the
 * types and fields the app's documents select (shared/graphcache-schema.ts); while developing, all of
 * them, so an edited document never meets a stale schema.
 */
function schemaIntrospection(): Plugin {
  const schemaFile = new URL('./schema.graphql', import.meta.url);
  let build = false;
  return {
    name: 'schema-introspection',
    configResolved: (config) => {
      build = config.command === 'build';
    },
    resolveId: (id) => (id === SCHEMA_MODULE ? `\0${SCHEMA_MODULE}` : undefined),
    load(id) {
      if (id !== `\0${SCHEMA_MODULE}`) return undefined;
      this.addWatchFile(schemaFile.pathname);
      const documents = build ? appDocuments() : undefined;
      return `export default ${JSON.stringify(graphcacheSchema(fs.readFileSync(schemaFile, 'utf8'), documents))};`;
    },
  };
}

const serverPort = Number(process.env.SERVER_PORT ?? 8080);

export default defineConfig({
  plugins: [react(), schemaIntrospection()],
  resolve: {
    alias: {
      '@': new URL('./src', import.meta.url).pathname,
      // The naming rules the server applies too (shared/ imports nothing of Node's).
      '@shared': new URL('./shared', import.meta.url).pathname,
    },
  },
  // No source maps in the production build: the server would otherwise publish the app's sources.
  build: {
    outDir: 'dist',
    sourcemap: false,
    target: 'es2022',
    // Every browser of that target preloads modules itself.
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        codeSplitting: {
          // What every page runs before its own code, in two files instead of fifteen: fewer requests, and
          // each compressed as a whole (about 3 KB less to load). `app` lists our modules that the shell
          // and every page import; a module only some pages use stays in their chunks.
          groups: [
            { name: 'boot', test: /node_modules[\\/](react|react-dom|scheduler|@urql|urql|wonka)[\\/]|virtual:schema-introspection/ },
            {
              name: 'app',
              test: /(src[\\/](lib[\\/](router|http|graphql|format|names|routeQuery|useSettled|urql)|components[\\/]States|app[\\/]providers)|shared[\\/]names)\.tsx?$/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: Number(process.env.PORT ?? 5173),
    proxy: {
      '/graphql': `http://127.0.0.1:${serverPort}`,
      '/api': `http://127.0.0.1:${serverPort}`,
      '/files': `http://127.0.0.1:${serverPort}`,
    },
  },
});
