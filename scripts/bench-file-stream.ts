import type { App } from '../server/app.js';

/**
 * file_stream throughput: one run fed `rows` history rows in chunks of `chunk` (each chunk also
 * carries a console line and the summary, as the SDK's do), one request after the other.
 */
export async function measureFileStream(app: App, key: string, rows = 20_000, chunk = 100) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const response = await app.fetch(
      new Request('http://bench/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) }),
    );
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"')) throw new Error(text.slice(0, 500));
  };
  await gql('mutation ($name: String!) { createTeam(input: { name: $name }) { entity { id } } }', { name: 'bench-runs' });
  await gql('mutation ($input: UpsertBucketInput!) { upsertBucket(input: $input) { bucket { id } } }', {
    input: { entityName: 'bench-runs', modelName: 'throughput', name: 'run-1' },
  });
  const times: number[] = [];
  const started = performance.now();
  for (let offset = 0; offset < rows; offset += chunk) {
    const history = Array.from({ length: chunk }, (_, i) =>
      JSON.stringify({
        loss: 1 / (offset + i + 1),
        acc: (offset + i) / rows,
        lr: 0.001,
        _step: offset + i,
        _runtime: (offset + i) / 10,
        _timestamp: 1796645590 + offset + i,
      }),
    );
    const body = {
      files: {
        'wandb-history.jsonl': { offset, content: history },
        'wandb-summary.json': { offset: 0, content: [history.at(-1)] },
        'output.log': { offset: offset / chunk, content: [`step ${offset + chunk}\n`] },
      },
      dropped: 0,
    };
    const t0 = performance.now();
    const response = await app.fetch(
      new Request('http://bench/files/bench-runs/throughput/run-1/file_stream', { method: 'POST', headers, body: JSON.stringify(body) }),
    );
    if (response.status !== 200) throw new Error(await response.text());
    times.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    rows,
    chunk,
    historyRowsPerSecond: Math.round(rows / seconds),
    requestMedianMs: +(times[Math.floor(times.length / 2)] ?? 0).toFixed(2),
    goalRowsPerSecond: 2000,
  };
}
