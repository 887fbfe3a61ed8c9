import { data, type SeedClient } from '../seed/client.js';
import { linkVersion } from '../seed/collections.js';
import { createTeam } from '../seed/people.js';
import { CREATE_RUN_FILES, UPSERT_BUCKET, fileStream, upsertBucketVariables } from '../seed/runs.js';
import { putTo } from '../seed/sdk-logging.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, test } from './support/fixtures';
import { choose } from './support/pickers';
import { captureScreens } from './support/screens';
import { E2E_API_KEY } from './support/constants';

// Several axe runs and screenshots per test on a shared two-core machine.
test.describe.configure({ timeout: 180_000 });

const STEPS = 60;

/** A run logged through the SDK's own documents: upsertBucket, run files, file_stream, log_artifact. */
async function logRun(api: SeedClient, team: string, project: string, run: string) {
  const config = JSON.stringify({
    lr: { desc: null, value: 0.001 },
    optimizer: { desc: null, value: 'adam' },
    _wandb: { desc: null, value: { cli_version: '0.20.1' } },
  });
  await data(api, UPSERT_BUCKET, upsertBucketVariables({ entity: team, project, name: run, config, host: 'gpu-01', program: 'train.py' }));
  const files = await data<{ createRunFiles: { files: { name: string; uploadUrl: string }[] } }>(api, CREATE_RUN_FILES, {
    entity: team,
    project,
    run,
    files: ['requirements.txt'],
  });
  for (const f of files.createRunFiles.files) expect((await putTo(api, f.uploadUrl, 'torch==2.4.0\nnumpy==2.1.0\n')).status).toBe(200);
  const history = Array.from({ length: STEPS }, (_, step) =>
    JSON.stringify({
      loss: 2 * Math.exp(-step / 15) + 0.05,
      accuracy: 0.5 + 0.45 * (1 - Math.exp(-step / 20)),
      _step: step,
      _runtime: step,
    }),
  );
  const post = async (body: unknown) => expect((await fileStream(api, `${team}/${project}/${run}`, body, E2E_API_KEY)).status).toBe(200);
  await post({
    files: {
      'wandb-history.jsonl': { offset: 0, content: history.slice(0, 30) },
      'output.log': { offset: 0, content: ['Loading data…\n', 'epoch 1/2 loss=0.81\n'] },
    },
    dropped: 0,
  });
  await post({
    files: {
      'wandb-history.jsonl': { offset: 30, content: history.slice(30) },
      'wandb-summary.json': { offset: 0, content: [JSON.stringify({ loss: 0.071, accuracy: 0.93, _step: STEPS - 1 })] },
      'output.log': { offset: 2, content: ['epoch 2/2 loss=0.07\n', 'Training done.\n'] },
    },
    dropped: 0,
  });
  const logged = await logVersion(api, {
    entity: team,
    project,
    name: 'classifier',
    type: 'model',
    files: { 'weights.bin': 'trained weights' },
    run,
  });
  await post({ complete: true, exitcode: 0, dropped: 0, uploaded: ['requirements.txt'] });
  return logged;
}

test('a run logged through the SDK: its page, the version it logged, a registry link, and back to the run', async ({
  signedIn: page,
  api,
}) => {
  const team = unique('runs');
  const run = unique('run');
  const collection = unique('run-classifier');
  await createTeam(api, { name: team, members: ['admin'] });
  // The registry collection exists already, with another version in it.
  const other = await logVersion(api, {
    entity: team,
    project: 'mnist',
    name: 'classifier',
    type: 'model',
    files: { 'weights.bin': 'older weights' },
  });
  await linkVersion(api, { artifactId: other.artifactId, registry: 'model', collection: collection });
  await logRun(api, team, 'mnist', run);

  // The run page: state, config, summary, a chart per metric, console output, files, logged versions.
  await page.goto(`/${team}/mnist/runs/${run}`);
  await expect(page.getByRole('heading', { level: 1, name: run })).toBeVisible();
  await expect(page.getByText('Finished (exit code 0)')).toBeVisible();
  await expect(page.getByRole('img', { name: /^loss over steps 0 to 59/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^accuracy over steps 0 to 59/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Config' }).getByRole('row', { name: /lr/ })).toContainText('0.001');
  await expect(page.getByRole('table', { name: 'Config' })).not.toContainText('_wandb');
  await expect(page.getByRole('table', { name: 'Summary' }).getByRole('row', { name: /accuracy/ })).toContainText('0.93');
  await expect(page.getByLabel('Console output', { exact: true })).toContainText('epoch 2/2 loss=0.07');
  await expect(page.getByRole('button', { name: 'Download requirements.txt' })).toBeVisible();
  const logged = page.getByRole('region', { name: 'Logged versions' });
  await expect(logged.getByRole('link', { name: `${team}/mnist/classifier:v1` })).toBeVisible();
  await expectNoA11yViolations(page);

  // The version it logged, in the artifact browser, names the run that made it.
  await logged.getByRole('link', { name: `${team}/mnist/classifier:v1` }).click();
  await expect(page.getByRole('heading', { name: 'Version overview' })).toBeVisible();
  await expect(page.getByRole('link', { name: `run ${run}` })).toHaveAttribute('href', `/${team}/mnist/runs/${run}`);

  // Link it to the registry from there.
  await page.getByRole('button', { name: 'Link to registry' }).click();
  const modal = page.getByRole('dialog', { name: 'Link to registry' });
  await choose(modal, 'Select a registered model', new RegExp(`${collection}.*in Models`), collection);
  await modal.getByRole('button', { name: 'Next step' }).click();
  await modal.getByRole('button', { name: 'Link to registry' }).click();
  await expect(modal.getByRole('status')).toContainText(`Linked as v1 in Models / ${collection}.`);
  await modal.getByRole('link', { name: `View ${collection}:v1 in Models` }).click();

  // The registry version, then its source version, then back to the run.
  await expect(page.getByRole('tab', { name: 'Version', exact: true })).toBeVisible();
  await page.getByRole('link', { name: new RegExp(`${team}/mnist/classifier:v1`) }).click();
  await expect(page.getByRole('heading', { name: 'Version overview' })).toBeVisible();
  await page.getByRole('link', { name: `run ${run}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: run })).toBeVisible();
  // The run page now shows the registry version too, linking to it.
  await expect(logged.getByRole('link', { name: `model/${collection}:v1` })).toHaveAttribute('href', `/registry/model/${collection}/v1`);
  await expectNoA11yViolations(page);
});

test('console output pages 200 lines at a time', async ({ signedIn: page, api }) => {
  const team = unique('runs');
  const run = unique('run');
  await createTeam(api, { name: team, members: ['admin'] });
  await data(api, UPSERT_BUCKET, upsertBucketVariables({ entity: team, project: 'long', name: run }));
  const lines = Array.from({ length: 250 }, (_, i) => `line ${i}\n`);
  expect(
    (await fileStream(api, `${team}/long/${run}`, { files: { 'output.log': { offset: 0, content: lines } } }, E2E_API_KEY)).status,
  ).toBe(200);
  await page.goto(`/${team}/long/runs/${run}`);
  const output = page.getByLabel('Console output', { exact: true });
  await expect(output).toContainText('line 199');
  await expect(output).not.toContainText('line 200');
  await page.getByRole('button', { name: 'Show more output' }).click();
  await expect(output).toContainText('line 249');
  await expect(output).toContainText('line 0');
  await expect(page.getByRole('button', { name: 'Show more output' })).toHaveCount(0);
});

test('a run that is missing or in a project the viewer cannot see is not found', async ({ signedIn: page }) => {
  await page.goto('/nobody/nothing/runs/none');
  await expect(page.getByText('Run not found')).toBeVisible();
});

test('screenshots: the run page', async ({ browser, api }) => {
  const team = unique('runs');
  const run = unique('run');
  await createTeam(api, { name: team, members: ['admin'] });
  await logRun(api, team, 'mnist', run);
  await captureScreens(browser, [
    { name: 'run-page', path: `/${team}/mnist/runs/${run}`, ready: (p) => p.getByRole('img', { name: /^loss over/ }) },
  ]);
});
