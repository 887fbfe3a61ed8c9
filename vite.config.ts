import fs from 'node:fs';
import { getIntrospectedSchema, minifyIntrospectionQuery } from '@urql/introspection';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const SCHEMA_MODULE = 'virtual:schema-introspection';

/** Gives Graphcache the schema from schema.graphql, minified, so the bundle carries no SDL. */
function schemaIntrospection(): Plugin {
  const schemaFile = new URL('./schema.graphql', import.meta.url);
  return {
    name: 'schema-introspection',
    resolveId: (id) => (id === SCHEMA_MODULE ? `\0${SCHEMA_MODULE}` : undefined),
    load(id) {
      if (id !== `\0${SCHEMA_MODULE}`) return undefined;
      this.addWatchFile(schemaFile.pathname);
      const minified = minifyIntrospectionQuery(getIntrospectedSchema(fs.readFileSync(schemaFile, 'utf8')));
      // Graphcache reads fields' types, never their arguments' (a fifth of the schema's bytes).
      for (const type of minified.__schema.types) {
        if ('fields' in type) for (const field of type.fields) Object.assign(field, { args: [] });
      }
      return `export default ${JSON.stringify(minified)};`;
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
  build: { outDir: 'dist', sourcemap: false, target: 'es2022' },
  server: {
    port: Number(process.env.PORT ?? 5173),
    proxy: {
      '/graphql': `http://127.0.0.1:${serverPort}`,
      '/api': `http://127.0.0.1:${serverPort}`,
      '/files': `http://127.0.0.1:${serverPort}`,
    },
  },
});
