import { describe, expect, it } from 'vitest';
import { artifactDigest as serverDigest, parseManifest } from '../../server/modules/artifacts/manifest.js';
import { artifactDigest, md5Base64 } from '../../seed/sdk-logging.js';

const sdkManifest = {
  version: 1,
  storagePolicy: 'wandb-storage-policy-v1',
  storagePolicyConfig: { storageLayout: 'V2' },
  contents: {
    'model/weights.bin': { digest: md5Base64('w'), size: 1, birthArtifactID: 'QXJ0aWZhY3Q6MQ==', extra: {} },
    'notes/ünïcode "quoted" name.txt': { digest: md5Base64('n'), size: 2 },
    'remote.csv': { digest: 'etag-1', ref: 's3://bucket/remote.csv', size: 10, extra: { versionID: 'v1' } },
  },
};

/** What the whole-document parse (JSON.parse) makes of a manifest, for comparison. */
function expected(text: string) {
  const json = JSON.parse(text) as { contents: Record<string, { digest: string; size?: number; ref?: string }> };
  return Object.entries(json.contents).map(([path, e]) => ({ path, digest: e.digest, size: e.size ?? 0, ref: e.ref ?? null }));
}

async function outcome(text: string): Promise<{ entries: unknown } | { error: string }> {
  try {
    return { entries: (await parseManifest(text)).entries };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

describe('parseManifest reads entries one by one', () => {
  it('reads what the SDK writes, compact or indented, like JSON.parse', async () => {
    for (const text of [
      JSON.stringify(sdkManifest),
      JSON.stringify(sdkManifest, null, 4),
      `\n ${JSON.stringify(sdkManifest, null, '\t')} \r\n`,
    ]) {
      const parsed = await parseManifest(text);
      expect(parsed.entries).toEqual(expected(text));
      expect(parsed.header).toEqual({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: 'V2' } });
    }
  });

  it('refuses every prefix of a manifest: truncated uploads are never half-read', async () => {
    const text = JSON.stringify(sdkManifest);
    for (let end = 0; end < text.length; end++) {
      const result = await outcome(text.slice(0, end));
      expect(result, `prefix of ${end} characters`).toHaveProperty('error');
    }
  });

  it('agrees with JSON.parse on thousands of random one-character changes', async () => {
    const text = JSON.stringify(sdkManifest, null, 1);
    const alphabet = '{}[]":,\\ 0-1.eE+tfnu\n\u0001a';
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const at = random(text.length);
      const mutated =
        random(3) === 0
          ? text.slice(0, at) + text.slice(at + 1)
          : text.slice(0, at) + alphabet[random(alphabet.length)] + text.slice(at + (random(2) ? 1 : 0));
      let valid = true;
      try {
        JSON.parse(mutated);
      } catch {
        valid = false;
      }
      const result = await outcome(mutated);
      if (!valid) expect(result, mutated).toHaveProperty('error');
      if ('entries' in result) expect(result.entries, mutated).toEqual(expected(mutated));
    }
  });

  it('says what is wrong', async () => {
    const md5 = md5Base64('x');
    const cases: [string, RegExp][] = [
      ['', /must be a JSON object/],
      ['[1]', /must be a JSON object/],
      [`{"version": 1, "contents": {"a": {"digest": "${md5}"},}}`, /not valid JSON \(near character \d+\)/],
      ['{"version": 1, "contents": {}} x', /not valid JSON/],
      ['{"version": 2, "contents": {}}', /version/],
      ['{"version": 1}', /"contents" object/],
      ['{"version": 1, "contents": []}', /"contents" object/],
      [`{"version": 1, "contents": {"a": {"digest": "${md5}"}, "a": {"digest": "${md5}"}}}`, /lists "a" twice/],
      ['{"version": 1, "contents": {}, "contents": {}}', /two "contents"/],
      [`{"version": 1, "contents": {"../a": {"digest": "${md5}"}}}`, /File name "\.\.\/a" is not valid/],
      ['{"version": 1, "contents": {"a": {"size": 1}}}', /needs a "digest"/],
      [`{"version": 1, "contents": {"a": {"digest": "${md5}", "size": -1}}}`, /invalid "size"/],
      ['{"version": 1, "contents": {"a": {"digest": "not-md5"}}}', /needs a base64 MD5 "digest" \(or a "ref"\)/],
      ['{"version": 1, "contents": {"a": {"digest": "x\\u0000"}}}', /NUL character/],
    ];
    for (const [text, message] of cases) {
      const result = await outcome(text);
      expect(result, text).toHaveProperty('error');
      expect('error' in result && result.error, text).toMatch(message);
    }
  });

  it('computes the artifact digest the SDK computes', async () => {
    const entries = expected(JSON.stringify(sdkManifest));
    expect(await serverDigest(entries)).toBe(artifactDigest(Object.fromEntries(entries.map((e) => [e.path, e.digest]))));
  });
});
