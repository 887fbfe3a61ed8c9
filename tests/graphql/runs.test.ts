import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ADMIN_KEY, createTestApp, type GraphQLResult, type TestApp } from '../support/app.js';

import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import {
  CREATE_RUN_FILES,
  fileStream,
  PROBE_SERVER_SETTINGS,
  RUN_STOPPED_STATUS,
  RUN_UPLOAD_URLS,
  UPSERT_BUCKET,
  upsertBucketVariables,
} from '../../seed/runs.js';
import { logArtifact, putTo } from '../../seed/sdk-logging.js';

let t: TestApp;
let alice: TestUser; // member of team "vision"
let bob: TestUser; // in no team: an outsider of vision's projects

beforeAll(async () => {
  t = await createTestApp();
  alice = await createUser(t, { username: 'alice' });
  bob = await createUser(t, { username: 'bob' });
  await createTeam(t, { name: 'vision', members: [alice] });
});
afterAll(() => t.close());

const code = (res: GraphQLResult) => res.errors?.[0]?.extensions?.code;

const RUN_PAGE = `query RunPage($entity: String!, $project: String!, $run: String!, $after: String, $samples: Int) {
  project(entityName: $entity, name: $project) {
    run(name: $run) {
      name state exitcode config summaryMetrics historyLineCount logLineCount eventsLineCount stopped
      history(samples: $samples)
      logLines(after: $after, first: 2) { pageInfo { endCursor hasNextPage } edges { node { number line } } }
      files { edges { node { name sizeBytes md5 url directUrl } } }
      outputArtifacts { totalCount edges { node { id versionIndex artifactSequence { name } } } }
      inputArtifacts { totalCount edges { node { id } } }
    }
  }
}`;

interface RunView {
  name: string;
  state: string;
  exitcode: number | null;
  config: string;
  summaryMetrics: string;
  historyLineCount: number;
  logLineCount: number;
  eventsLineCount: number;
  stopped: boolean;
  history: string[];
  logLines: { pageInfo: { endCursor: string | null; hasNextPage: boolean }; edges: { node: { number: number; line: string } }[] };
  files: { edges: { node: { name: string; sizeBytes: number; md5: string; url: string | null; directUrl: string | null } }[] };
  outputArtifacts: { totalCount: number; edges: { node: { id: string; versionIndex: number; artifactSequence: { name: string } } }[] };
  inputArtifacts: { totalCount: number; edges: { node: { id: string } }[] };
}

async function readRun(
  run: string,
  options: { key?: string; after?: string; samples?: number; project?: string } = {},
): Promise<RunView | null> {
  const res = await t.gql(
    RUN_PAGE,
    { entity: 'vision', project: options.project ?? 'train', run, after: options.after ?? null, samples: options.samples ?? null },
    { key: options.key ?? alice.key },
  );
  expect(res.errors).toBeUndefined();
  return ((res.data?.project as { run: RunView | null } | null)?.run ?? null) as RunView | null;
}

async function startRun(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await t.gql(UPSERT_BUCKET, upsertBucketVariables({ entity: 'vision', project: 'train', name, ...extra }), { key: alice.key });
  expect(res.errors).toBeUndefined();
}

const historyRow = (step: number) =>
  JSON.stringify({ loss: 1 / (step + 1), acc: step / 100, _step: step, _runtime: step * 0.1, _timestamp: 1796645590 + step });

describe('what wandb.init asks first', () => {
  it('ProbeServerSettings finds the ServerSettings type and its fields', async () => {
    const res = await t.gql(PROBE_SERVER_SETTINGS, {}, { key: alice.key });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ ServerSettingsType: { fields: [{ name: 'serverMessages' }] } });
  });

  it('UpsertBucket with serverSettings stores the run with its config and answers no server messages', async () => {
    const config = JSON.stringify({ lr: { desc: null, value: 0.01 }, _wandb: { desc: null, value: { cli_version: '0.20.1' } } });
    const vars = upsertBucketVariables({ entity: 'vision', project: 'train', name: 'r1', config, host: 'vm', program: 'train.py' });
    const res = await t.gql(UPSERT_BUCKET, vars, { key: alice.key });
    expect(res.errors).toBeUndefined();
    expect(res.data?.upsertBucket).toMatchObject({
      bucket: {
        name: 'r1',
        displayName: 'r1',
        config: JSON.stringify(JSON.parse(config)),
        historyLineCount: 0,
        project: { name: 'train', entity: { name: 'vision' } },
      },
      inserted: true,
      serverSettings: { serverMessages: [] },
    });
    // The second upsert (run.finish) sends no host: what was stored stays, and the config is replaced.
    const config2 = JSON.stringify({ lr: { desc: null, value: 0.01 }, epochs: { desc: null, value: 3 } });
    const again = await t.gql(UPSERT_BUCKET, { ...vars, host: null, config: config2 }, { key: alice.key });
    expect(again.data?.upsertBucket).toMatchObject({ inserted: false, bucket: { config: config2 } });
    const run = await readRun('r1');
    expect(run).toMatchObject({ state: 'running', config: config2, stopped: false });
  });

  it('UpsertBucket refuses a config that is not a JSON object, an unknown state, and changes nothing', async () => {
    const bad = await t.gql(UPSERT_BUCKET, upsertBucketVariables({ entity: 'vision', project: 'train', name: 'r1', config: '[1]' }), {
      key: alice.key,
    });
    expect(code(bad)).toBe('BAD_USER_INPUT');
    const state = await t.gql(
      UPSERT_BUCKET,
      upsertBucketVariables({ entity: 'vision', project: 'train', name: 'r-new', state: 'exploded' }),
      { key: alice.key },
    );
    expect(code(state)).toBe('BAD_USER_INPUT');
    expect(await readRun('r-new')).toBeNull();
  });

  it('RunStoppedStatus answers stopped: false', async () => {
    const res = await t.gql(RUN_STOPPED_STATUS, { projectName: 'train', entityName: 'vision', runId: 'r1' }, { key: alice.key });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ project: { run: { stopped: false } } });
  });
});

describe('run files', () => {
  it('RunUploadUrls (the legacy document) hands out upload URLs that store the bytes, once', async () => {
    const res = await t.gql(
      RUN_UPLOAD_URLS,
      { name: 'train', run: 'r1', entity: 'vision', files: ['wandb-metadata.json'], description: null },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    const bucket = (
      res.data?.model as { bucket: { id: string; files: { uploadHeaders: string[]; edges: { node: { name: string; url: string } }[] } } }
    ).bucket;
    expect(bucket.files.uploadHeaders).toEqual([]);
    expect(bucket.files.edges.map((e) => e.node.name)).toEqual(['wandb-metadata.json']);
    const url = bucket.files.edges[0]!.node.url;
    expect(url).toMatch(/^http:\/\/registry\.test\/files\/run-upload\//);
    const content = JSON.stringify({ os: 'Linux', python: 'CPython 3.11.7' });
    // The SDK PUTs with python-requests: no credentials, no content type.
    expect((await putTo(t, url, content)).status).toBe(200);
    expect((await putTo(t, url, 'again')).status).toBe(404);

    const run = await readRun('r1');
    const file = run?.files.edges.find((e) => e.node.name === 'wandb-metadata.json')?.node;
    expect(file).toMatchObject({ sizeBytes: content.length, md5: createHash('md5').update(content).digest('hex') });
    const download = await t.request(new URL(file!.url!).pathname + new URL(file!.url!).search);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(content);
  });

  it('createRunFiles gives the run id and one URL per file; a new upload replaces the file', async () => {
    const res = await t.gql(
      CREATE_RUN_FILES,
      { entity: 'vision', project: 'train', run: 'r1', files: ['output.log', 'config.yaml'] },
      { key: alice.key },
    );
    expect(res.errors).toBeUndefined();
    const payload = res.data?.createRunFiles as { runID: string; uploadHeaders: string[]; files: { name: string; uploadUrl: string }[] };
    expect(Buffer.from(payload.runID, 'base64').toString()).toMatch(/^Run:\d+$/);
    expect(payload.uploadHeaders).toEqual([]);
    expect(payload.files.map((f) => f.name).sort()).toEqual(['config.yaml', 'output.log']);
    for (const f of payload.files) expect((await putTo(t, f.uploadUrl, `first ${f.name}`)).status).toBe(200);
    const again = await t.gql(
      CREATE_RUN_FILES,
      { entity: 'vision', project: 'train', run: 'r1', files: ['output.log'] },
      { key: alice.key },
    );
    const url = (again.data?.createRunFiles as { files: { uploadUrl: string }[] }).files[0]!.uploadUrl;
    expect((await putTo(t, url, 'second output')).status).toBe(200);
    const run = await readRun('r1');
    expect(run?.files.edges.map((e) => e.node.name)).toEqual(['config.yaml', 'output.log', 'wandb-metadata.json']);
    const output = run!.files.edges.find((e) => e.node.name === 'output.log')!.node;
    const body = await (await t.request(new URL(output.directUrl!).pathname + new URL(output.directUrl!).search)).text();
    expect(body).toBe('second output');
  });

  it('refuses bad file names and unknown runs with clear errors', async () => {
    const bad = await t.gql(
      CREATE_RUN_FILES,
      { entity: 'vision', project: 'train', run: 'r1', files: ['../etc/passwd'] },
      { key: alice.key },
    );
    expect(code(bad)).toBe('BAD_USER_INPUT');
    const missing = await t.gql(
      CREATE_RUN_FILES,
      { entity: 'vision', project: 'train', run: 'nope', files: ['a.txt'] },
      { key: alice.key },
    );
    expect(code(missing)).toBe('NOT_FOUND');
  });
});

describe('file_stream', () => {
  it('stores history, summary, events and console lines as the SDK streams them, and answers what it reads', async () => {
    await startRun('s1');
    const first = await fileStream(
      t,
      'vision/train/s1',
      {
        files: {
          'wandb-history.jsonl': { offset: 0, content: [historyRow(0), historyRow(1)] },
          'wandb-summary.json': { offset: 0, content: [JSON.stringify({ loss: 0.5, _step: 1 })] },
          'wandb-events.jsonl': { offset: 0, content: [JSON.stringify({ 'system.cpu': 0.0, _wandb: true })] },
          'output.log': { offset: 0, content: ['epoch 0\n', 'epoch 1\n', 'epoch 2\n'] },
        },
        dropped: 0,
      },
      alice.key,
    );
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ exitcode: null, limits: {} });
    const uploaded = await fileStream(
      t,
      'vision/train/s1',
      { complete: false, failed: false, dropped: 0, uploaded: ['wandb-metadata.json'] },
      alice.key,
    );
    expect(uploaded.status).toBe(200);

    const run = await readRun('s1');
    expect(run).toMatchObject({ state: 'running', historyLineCount: 2, logLineCount: 3, eventsLineCount: 1 });
    expect(JSON.parse(run!.summaryMetrics)).toEqual({ loss: 0.5, _step: 1 });
    expect(run!.history.map((h) => JSON.parse(h) as { _step: number })).toMatchObject([{ _step: 0 }, { _step: 1 }]);
    expect(run!.logLines.edges.map((e) => e.node)).toEqual([
      { number: 0, line: 'epoch 0' },
      { number: 1, line: 'epoch 1' },
    ]);
    const next = await readRun('s1', { after: run!.logLines.pageInfo.endCursor! });
    expect(next!.logLines.edges.map((e) => e.node.line)).toEqual(['epoch 2']);
    expect(next!.logLines.pageInfo.hasNextPage).toBe(false);
  });

  it('a chunk sent again at an offset already stored is not stored twice; the next one appends', async () => {
    const chunk = {
      files: {
        'wandb-history.jsonl': { offset: 2, content: [historyRow(2), historyRow(3)] },
        'output.log': { offset: 3, content: ['epoch 3\n'] },
      },
    };
    expect((await fileStream(t, 'vision/train/s1', chunk, alice.key)).status).toBe(200);
    expect((await fileStream(t, 'vision/train/s1', chunk, alice.key)).status).toBe(200);
    // A resend that overlaps the stored lines and reaches further stores only the new ones.
    const overlap = { files: { 'wandb-history.jsonl': { offset: 3, content: [historyRow(3), historyRow(4)] } } };
    expect((await fileStream(t, 'vision/train/s1', overlap, alice.key)).status).toBe(200);
    const run = await readRun('s1');
    expect(run!.historyLineCount).toBe(5);
    expect(run!.history.map((h) => (JSON.parse(h) as { _step: number })._step)).toEqual([0, 1, 2, 3, 4]);
    expect(run!.logLineCount).toBe(4);
    const rows = await t.db
      .selectFrom('run_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stream', '=', 'history')
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(5);
  });

  it('the last request (complete, exit code 0) finishes the run; a non-zero exit code fails it; failed marks it crashed', async () => {
    expect(
      (await fileStream(t, 'vision/train/s1', { complete: true, exitcode: 0, dropped: 0, uploaded: ['output.log'] }, alice.key)).status,
    ).toBe(200);
    expect(await readRun('s1')).toMatchObject({ state: 'finished', exitcode: 0 });
    await startRun('s2');
    await fileStream(t, 'vision/train/s2', { complete: true, exitcode: 1 }, alice.key);
    expect(await readRun('s2')).toMatchObject({ state: 'failed', exitcode: 1 });
    await startRun('s3');
    await fileStream(t, 'vision/train/s3', { complete: false, failed: true }, alice.key);
    expect(await readRun('s3')).toMatchObject({ state: 'crashed' });
  });

  it('history is sampled down to at most `samples` rows, first and last kept', async () => {
    await startRun('long');
    const rows = Array.from({ length: 1000 }, (_, i) => historyRow(i));
    for (let offset = 0; offset < rows.length; offset += 100) {
      expect(
        (
          await fileStream(
            t,
            'vision/train/long',
            { files: { 'wandb-history.jsonl': { offset, content: rows.slice(offset, offset + 100) } } },
            alice.key,
          )
        ).status,
      ).toBe(200);
    }
    const run = await readRun('long', { samples: 100 });
    const steps = run!.history.map((h) => (JSON.parse(h) as { _step: number })._step);
    expect(steps.length).toBeLessThanOrEqual(101);
    expect(steps.length).toBeGreaterThanOrEqual(90);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(999);
    const bad = await t.gql(RUN_PAGE, { entity: 'vision', project: 'train', run: 'long', samples: 0 }, { key: alice.key });
    expect(code(bad)).toBe('BAD_USER_INPUT');
  });

  it('bounds its inputs with clear 400s and stores nothing of a refused request', async () => {
    await startRun('bounds');
    const cases: [unknown, RegExp][] = [
      ['not json', /not JSON/],
      [{ files: { 'secrets.txt': { offset: 0, content: ['x'] } } }, /Unknown file "secrets.txt"/],
      [{ files: { 'output.log': { offset: -1, content: ['x'] } } }, /offset/],
      [{ files: { 'output.log': { offset: 0, content: [1] } } }, /list of strings/],
      [
        { files: { 'output.log': { offset: 0, content: ['ok\n'] }, 'wandb-history.jsonl': { offset: 0, content: ['{"a": 1}', '[1]'] } } },
        /not a JSON object/,
      ],
      [{ files: { 'output.log': { offset: 0, content: ['x'.repeat(1024 * 1024 + 1)] } } }, /longer than/],
      [{ files: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, { offset: 0, content: [] }])) }, /At most 8 files/],
      [{ files: { 'output.log': { offset: 0, content: Array.from({ length: 10_001 }, () => '') } } }, /At most 10000 lines/],
    ];
    for (const [body, message] of cases) {
      const res = await fileStream(t, 'vision/train/bounds', body, alice.key);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(json.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(json.errors[0]!.message).toMatch(message);
    }
    const big = await fileStream(
      t,
      'vision/train/bounds',
      { files: { 'output.log': { offset: 0, content: Array.from({ length: 11 }, () => 'y'.repeat(1024 * 1024 - 10)) } } },
      alice.key,
    );
    expect(big.status).toBe(413);
    expect(await readRun('bounds')).toMatchObject({ logLineCount: 0, historyLineCount: 0 });
  });
});

describe('who may do what', () => {
  it('an outsider cannot see, stream to or upload files of a team run: it answers like a missing one', async () => {
    const stream = await fileStream(t, 'vision/train/s1', { files: { 'output.log': { offset: 100, content: ['intruder\n'] } } }, bob.key);
    expect(stream.status).toBe(404);
    const missing = await fileStream(t, 'vision/train/no-such-run', { files: {} }, alice.key);
    expect(missing.status).toBe(404);
    // Same code and the same words as a run that does not exist.
    const body = (await stream.json()) as { errors: { message: string; extensions: { code: string } }[] };
    const none = (await (await fileStream(t, 'vision/train/s1x', { files: {} }, bob.key)).json()) as typeof body;
    expect(body.errors[0]!.extensions.code).toBe('NOT_FOUND');
    expect(body.errors[0]!.message).toBe(none.errors[0]!.message.replace('s1x', 's1'));
    const files = await t.gql(CREATE_RUN_FILES, { entity: 'vision', project: 'train', run: 's1', files: ['a.txt'] }, { key: bob.key });
    expect(code(files)).toBe('NOT_FOUND');
    expect(await readRun('s1', { key: bob.key })).toBeNull();
    const legacy = await t.gql(
      RUN_UPLOAD_URLS,
      { name: 'train', run: 's1', entity: 'vision', files: ['a.txt'], description: null },
      { key: bob.key },
    );
    expect(legacy.data).toEqual({ model: null });
    const upsert = await t.gql(
      UPSERT_BUCKET,
      upsertBucketVariables({ entity: 'vision', project: 'train', name: 's1', state: 'finished' }),
      { key: bob.key },
    );
    expect(code(upsert)).toBe('FORBIDDEN');
    expect((await readRun('s1'))!.logLineCount).toBe(4);
  });

  it('file_stream needs an API key', async () => {
    const res = await fileStream(t, 'vision/train/s1', { files: {} }, null);
    expect(res.status).toBe(401);
    const wrong = await fileStream(t, 'vision/train/s1', { files: {} }, 'x'.repeat(40));
    expect(wrong.status).toBe(401);
  });

  it('an org admin outside the team reads the run (admins see every team project)', async () => {
    const run = await readRun('s1', { key: ADMIN_KEY });
    expect(run?.state).toBe('finished');
  });
});

describe('the versions a run logged and used', () => {
  it('outputArtifacts and inputArtifacts list them', async () => {
    await startRun('producer');
    const logged = await logArtifact(t, {
      entity: 'vision',
      project: 'train',
      name: 'resnet',
      type: 'model',
      files: { 'w.bin': 'weights' },
      key: alice.key,
      run: 'producer',
    });
    await startRun('consumer');
    const used = await t.gql(
      `mutation Use($input: UseArtifactInput!) { useArtifact(input: $input) { artifact { id } } }`,
      { input: { entityName: 'vision', projectName: 'train', runName: 'consumer', artifactID: logged.artifactId } },
      { key: alice.key },
    );
    expect(used.errors).toBeUndefined();
    const producer = await readRun('producer');
    expect(producer!.outputArtifacts).toMatchObject({
      totalCount: 1,
      edges: [{ node: { id: logged.artifactId, versionIndex: 0, artifactSequence: { name: 'resnet' } } }],
    });
    const consumer = await readRun('consumer');
    expect(consumer!.inputArtifacts).toMatchObject({ totalCount: 1, edges: [{ node: { id: logged.artifactId } }] });
  });
});
