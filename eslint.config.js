import fs from 'node:fs';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** Server modules, foundation first: a module may import only the modules before it in this list. */
const serverModuleOrder = [
  ['events'],
  ['auth'],
  ['organization'],
  ['teams'],
  ['registries'],
  ['collections'],
  ['artifacts'],
  ['runs'],
  ['automations'],
];

/** Client features: each a folder of src/features that imports no other. */
const features = fs
  .readdirSync(`${root}/src/features`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** Code that runs the product (tests, browser tests, scripts) keeps its own helpers to itself. */
const harnesses = ['tests', 'e2e', 'scripts'];

/** Which folders may not import which, by resolved path (so "@/…" aliases and relative paths alike). */
const boundaries = [
  ...serverModuleOrder.flatMap((level, index) =>
    level.map((module) => ({
      target: `./server/modules/${module}`,
      from: './server/modules',
      except: [...serverModuleOrder.slice(0, index).flat(), module].map((allowed) => `./${allowed}`),
      message: `Server modules depend one way (${serverModuleOrder.map((l) => l.join(', ')).join(' ← ')}).`,
    })),
  ),
  {
    // The schema assembly file (server/graphql/schema.ts) is the one infrastructure file that sees every module.
    target: ['./server/db/**', './server/storage/**', './server/observability/**', './server/graphql/**/!(schema).ts'],
    from: ['./server/modules/**'],
    message: 'Infrastructure imports no domain module.',
  },
  {
    target: ['./server/modules/*/schema*.ts', './server/modules/**/*-schema.ts'],
    from: ['./server/**/repository*.ts', './server/**/*-repository*.ts'],
    message: 'Resolvers reach SQL through services, never a repository directly.',
  },
  ...features.map((feature) => ({
    target: `./src/features/${feature}`,
    from: './src/features',
    except: [`./${feature}`],
    message: 'Features do not import each other; shared code goes in src/components or src/lib.',
  })),
  ...[...harnesses, 'seed', 'shared'].map((folder) => ({
    target: `./${folder}`,
    from: harnesses.filter((other) => other !== folder).map((other) => `./${other}`),
    message: 'tests, e2e and scripts share code only through server, shared and seed.',
  })),
];

const lintedCode = ['server', 'src', 'shared', 'seed', 'scripts', 'tests', 'e2e'].map((folder) => `${folder}/**/*.{ts,tsx}`);

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', '.e2e-data', 'data', 'src/graphql-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: lintedCode,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json` })],
    },
    rules: {
      // Type-only imports are erased, so they may go both ways.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: boundaries }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Deep relative imports make features depend on each other's insides; use "@/…".
      'no-restricted-imports': ['error', { patterns: ['../../*'] }],
    },
  },
  {
    files: ['server/**/*.ts', 'scripts/**/*.ts', 'tests/**/*.ts', 'e2e/**/*.ts', '*.config.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    // SQL is written in repositories, db/ and migrations only; elsewhere Kysely's types may be named.
    files: ['server/**/*.ts'],
    ignores: ['server/**/repository*.ts', 'server/db/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'kysely', message: 'SQL belongs in a repository (repository*.ts) or server/db/.', allowTypeImports: true }] },
      ],
    },
  },
);
