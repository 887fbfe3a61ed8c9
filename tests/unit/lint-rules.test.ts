import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The boundaries are checked by ESLint on resolved paths, so each case imports a file that exists
// (picked from the folder, as files move) from a probe file that need not exist.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
const boundaryRules = ['import-x/no-restricted-paths', 'import-x/no-cycle', 'no-restricted-imports'];

// The first lint loads the parser, the plugins and the TypeScript configs: several seconds on a busy machine.
beforeAll(() => eslint.lintText('', { filePath: path.join(root, 'server/probe.ts') }), 120_000);

/** Rule ids reported for `import '<specifier>';` written in `file` (relative to the root). */
async function importFrom(file: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import '${specifier}';\n`, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

/** Some TypeScript file of `folder` (relative to the root), its path without extension. */
function someFile(folder: string, skip: RegExp = /^$/): string {
  const name = fs.readdirSync(path.join(root, folder)).find((entry) => /\.tsx?$/.test(entry) && !skip.test(entry));
  if (!name) throw new Error(`no TypeScript file in ${folder}`);
  return `${folder}/${name.replace(/\.tsx?$/, '')}`;
}

/** The specifier that imports `target` from `file`, both relative to the root. */
function relative(file: string, target: string): string {
  const specifier = path.relative(path.dirname(file), target);
  return specifier.startsWith('.') ? specifier : `./${specifier}`;
}

describe('server modules depend one way', () => {
  it('a module may import one before it, not one after it', async () => {
    const probe = 'server/modules/registries/probe.ts';
    expect(await importFrom(probe, `${relative(probe, someFile('server/modules/auth'))}.js`)).toEqual([]);
    expect(await importFrom(probe, `${relative(probe, someFile('server/modules/collections'))}.js`)).toEqual([
      'import-x/no-restricted-paths',
    ]);
    const events = 'server/modules/events/probe.ts';
    expect(await importFrom(events, `${relative(events, someFile('server/modules/auth'))}.js`)).toEqual(['import-x/no-restricted-paths']);
  });

  it('runs, the last, may use artifacts, but artifacts may not use runs', async () => {
    const runs = 'server/modules/runs/probe.ts';
    expect(await importFrom(runs, `${relative(runs, someFile('server/modules/artifacts'))}.js`)).toEqual([]);
    const artifacts = 'server/modules/artifacts/probe.ts';
    expect(await importFrom(artifacts, `${relative(artifacts, someFile('server/modules/runs'))}.js`)).toEqual([
      'import-x/no-restricted-paths',
    ]);
  });

  it('every module has its place in the order', async () => {
    const modules = fs.readdirSync(path.join(root, 'server/modules'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const { name } of modules) {
      const config = (await eslint.calculateConfigForFile(path.join(root, `server/modules/${name}/probe.ts`))) as {
        rules: Record<string, [unknown, { zones: { target: string | string[] }[] }]>;
      };
      const targets = config.rules['import-x/no-restricted-paths']?.[1].zones.flatMap((zone) => zone.target);
      expect(targets, name).toContain(`./server/modules/${name}`);
    }
  });

  it('infrastructure imports no module, except the schema assembly; http may', async () => {
    const module = someFile('server/modules/auth');
    for (const probe of ['server/db/probe.ts', 'server/graphql/probe.ts', 'server/storage/probe.ts']) {
      expect(await importFrom(probe, `${relative(probe, module)}.js`), probe).toEqual(['import-x/no-restricted-paths']);
    }
    for (const probe of ['server/graphql/schema.ts', 'server/http/probe.ts', 'server/app.ts', 'server/main.ts']) {
      expect(await importFrom(probe, `${relative(probe, module)}.js`), probe).toEqual([]);
    }
  });

  it('schema files do not import repositories', async () => {
    const repository = 'server/modules/teams/repository';
    for (const probe of ['server/modules/teams/schema-probe.ts', 'server/modules/collections/probe-schema.ts']) {
      expect(await importFrom(probe, `${relative(probe, repository)}.js`), probe).toContain('import-x/no-restricted-paths');
    }
    const probe = 'server/modules/teams/schema-probe.ts';
    expect(await importFrom(probe, `${relative(probe, someFile('server/modules/teams', /repository/))}.js`)).toEqual([]);
    expect(await importFrom('server/modules/teams/probe.ts', './repository.js')).toEqual([]);
  });

  it('SQL is built in repositories and server/db only; elsewhere Kysely is for its types', async () => {
    const lint = async (file: string, code: string) =>
      ((await eslint.lintText(code, { filePath: path.join(root, file) }))[0]?.messages ?? []).map((m) => m.ruleId);
    const builder = "import { sql } from 'kysely';\nexport const q = sql`select 1`;\n";
    for (const file of [
      'server/modules/teams/service.ts',
      'server/modules/teams/schema.ts',
      'server/graphql/probe.ts',
      'server/http/probe.ts',
    ]) {
      expect(await lint(file, builder), file).toContain('@typescript-eslint/no-restricted-imports');
    }
    for (const file of ['server/modules/teams/repository.ts', 'server/modules/teams/repository-probe.ts', 'server/db/probe.ts']) {
      expect(await lint(file, builder), file).toEqual([]);
    }
    expect(
      await lint('server/modules/teams/service.ts', "import type { Transaction } from 'kysely';\nexport type T = Transaction<object>;\n"),
    ).toEqual([]);
  });
});

describe('client features', () => {
  // Two features with files of their own at the top of their folder.
  const [own, other] = fs
    .readdirSync(path.join(root, 'src/features'), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && fs.readdirSync(path.join(root, 'src/features', entry.name)).some((name) => name.endsWith('.ts')),
    )
    .map((entry) => entry.name);
  const otherFile = () => someFile(`src/features/${other}`).replace(/^src\//, '');

  it('a feature imports no other, by alias or relative path', async () => {
    expect(await importFrom(`src/features/${own}/probe.tsx`, `@/${otherFile()}`)).toEqual(['import-x/no-restricted-paths']);
    expect(await importFrom(`src/features/${own}/probe.tsx`, `../${otherFile().replace(/^features\//, '')}`)).toEqual([
      'import-x/no-restricted-paths',
    ]);
  });

  it('deep relative imports stay banned; its own files and shared code are fine', async () => {
    expect(await importFrom(`src/features/${own}/components/probe.tsx`, '../../../lib/format')).toContain('no-restricted-imports');
    expect(await importFrom(`src/features/${own}/probe.tsx`, '@/lib/format')).toEqual([]);
    const ownFile = someFile(`src/features/${own}`);
    expect(await importFrom(`src/features/${own}/probe.tsx`, `./${path.basename(ownFile)}`)).toEqual([]);
  });
});

describe('tests, e2e and scripts', () => {
  it('do not import each other', async () => {
    const cases = [
      ['e2e/probe.spec.ts', 'tests/support'],
      ['e2e/probe.spec.ts', 'scripts'],
      ['scripts/probe.ts', 'tests/support'],
      ['scripts/probe.ts', 'e2e/support'],
      ['tests/probe.test.ts', 'scripts'],
      ['tests/probe.test.ts', 'e2e/support'],
    ];
    for (const [probe, folder] of cases) {
      expect(await importFrom(probe!, relative(probe!, someFile(folder!))), `${probe} → ${folder}`).toEqual([
        'import-x/no-restricted-paths',
      ]);
    }
  });

  it('all may import the server', async () => {
    const server = someFile('server/db');
    for (const probe of ['e2e/probe.spec.ts', 'scripts/probe.ts', 'tests/probe.test.ts']) {
      expect(await importFrom(probe, `${relative(probe, server)}.js`), probe).toEqual([]);
    }
  });
});

describe('import cycles', () => {
  const folder = fs.mkdtempSync(path.join(root, 'tests/unit/cycle-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('are errors; one-way imports are not', async () => {
    fs.writeFileSync(path.join(folder, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
    fs.writeFileSync(path.join(folder, 'b.ts'), "import { a } from './a.js';\nexport const b = () => a;\n");
    fs.writeFileSync(path.join(folder, 'c.ts'), "import { b } from './b.js';\nexport const c = () => b;\n");
    const [a, c] = await eslint.lintFiles([path.join(folder, 'a.ts'), path.join(folder, 'c.ts')]);
    const ids = (result: ESLint.LintResult | undefined) => result?.messages.map((message) => message.ruleId);
    expect(ids(a)).toEqual(['import-x/no-cycle']);
    expect(ids(c)).toEqual([]);
  });

  it('ignore type-only imports, which are erased', async () => {
    fs.writeFileSync(path.join(folder, 'd.ts'), "import type { E } from './e.js';\nexport type D = { e?: E };\n");
    fs.writeFileSync(path.join(folder, 'e.ts'), "import type { D } from './d.js';\nexport type E = { d?: D };\n");
    const [d] = await eslint.lintFiles([path.join(folder, 'd.ts')]);
    expect(d?.messages.filter((message) => boundaryRules.includes(message.ruleId ?? ''))).toEqual([]);
  });
});
