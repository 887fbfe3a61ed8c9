import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoSample } from '../../seed/demo.js';
import { ADMIN, createTestApp, type TestApp } from '../support/app.js';
import { exchangeName, readRecording, Replay } from '../support/replay.js';
import { startS3, type TestS3 } from '../support/s3.js';

// Every request the unmodified wandb SDK made in two whole flows (tests/wandb-compat/recorded/README.md),
// replayed in order against a server seeded as the recording's was: `npm run demo`'s sample in the
// organization "barorg", the admin's key 40 × "b". The api flow ran first, then the run flow, on one server;
// once with the local store (as recorded) and once with files in S3, where the SDK's file transfers go
// to the bucket.

const ORG = 'barorg';
const KEY = 'b'.repeat(40);
const api = readRecording('api-447eae0491.jsonl');
const run = readRecording('run-v0.20.1.jsonl');

/** Checks, beyond the recorded answer, of what the SDK reads from some answers. */
const checks: Record<string, (live: unknown) => void> = {
  // api.create_user(email): the SDK's own input; it reads the created user back.
  'api-447eae0491 87': (live) =>
    expect(live).toMatchObject({
      data: {
        result: {
          user: { id: expect.any(String), name: expect.any(String), username: 'rec-user', email: 'rec-user@example.com', admin: false },
        },
      },
    }),
  // api.create_team(name): the team's entity, with `limits`.
  'api-447eae0491 88': (live) =>
    expect(live).toMatchObject({ data: { result: { entity: { id: expect.any(String), name: 'rec-team', limits: expect.any(String) } } } }),
  // link_artifact / use_artifact: 0.20.1 takes the version inside the registry collection from the
  // `vN` alias the source version has there.
  'run-v0.20.1 28': (live) => expect(registryVersionAliases(live)).toEqual(['v0']),
  'run-v0.20.1 33': (live) => expect(registryVersionAliases(live)).toEqual(['v0']),
};

function registryVersionAliases(live: unknown): string[] {
  const artifact = (
    live as {
      data: {
        project: {
          artifact: { aliases: { alias: string; artifactCollection: { name: string; project: { entityName: string; name: string } } }[] };
        };
      };
    }
  ).data.project.artifact;
  return artifact.aliases
    .filter((a) => a.artifactCollection.project.entityName === ORG && a.artifactCollection.project.name === 'wandb-registry-model')
    .filter((a) => a.artifactCollection.name === 'rec-run-model' && /^v\d+$/.test(a.alias))
    .map((a) => a.alias);
}

/** Exchanges whose recorded answer is the server's refusal, which the SDK did not get past. */
const REFUSED_ON_PURPOSE = new Set([
  // Visibility restricted → organization: refused by design (one-way, as W&B's docs say).
  'api-447eae0491 19',
]);
/** The recording's server refused these (our inputs then lacked the SDK's shape): its answer is no truth, the checks above are. */
const PEOPLE = new Set(['api-447eae0491 87', 'api-447eae0491 88']);

describe.each(['local', 's3'] as const)('on the %s store', (kind) => {
  let t: TestApp;
  let s3: TestS3 | undefined;
  let replay: Replay;

  beforeAll(async () => {
    s3 = kind === 's3' ? await startS3() : undefined;
    t = await createTestApp({ org: ORG, adminKey: KEY, store: s3?.store() });
    await loadDemoSample(t, { org: ORG, adminUser: ADMIN });
    replay = new Replay(t, KEY, [...api, ...run], s3?.endpoint);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await s3?.close();
  });

  for (const [flow, exchanges] of [
    ['api-447eae0491', api],
    ['run-v0.20.1', run],
  ] as const) {
    describe(`the wandb SDK's ${flow} flow, replayed`, () => {
      for (const x of exchanges) {
        const id = `${flow} ${x.seq}`;
        it(exchangeName(x), async () => {
          const { problems, live } = await replay.play(x);
          if (REFUSED_ON_PURPOSE.has(id)) {
            expect(live).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
          }
          const check = checks[id];
          if (check) check(live);
          if (!PEOPLE.has(id)) expect(problems, `${x.step}\n${problems.slice(0, 12).join('\n')}`).toEqual([]);
          // With S3, the SDK's file transfers are the bucket's, never the server's own `/files/` routes.
          if (s3 && !x.graphql && /^\/files\/(upload|artifacts\/\d+\/files)\//.test(x.path)) {
            expect(replay.livePath(x.path)?.startsWith(`${s3.endpoint}/`)).toBe(true);
          }
        });
      }
    });
  }
});
