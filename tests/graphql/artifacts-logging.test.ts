import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { logArtifact } from '../support/logging.js';
import { sdkDocument } from '../support/wandb-operations.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('logging a version with the SDK sequence', () => {
  it('logs, commits and numbers versions 0, 1, 2 with latest moving', async () => {
    const first = await logArtifact(t, { entity: 'admin', project: 'training', name: 'resnet', type: 'model', files: { 'a.txt': 'hello' } });
    expect(first.versionIndex).toBe(0);
    const second = await logArtifact(t, { entity: 'admin', project: 'training', name: 'resnet', type: 'model', files: { 'a.txt': 'hello 2' } });
    expect(second.versionIndex).toBe(1);
    const third = await logArtifact(t, { entity: 'admin', project: 'training', name: 'resnet', type: 'model', files: { 'a.txt': 'hello 3', 'b/c.bin': 'x' } });
    expect(third.versionIndex).toBe(2);
    const res = await t.gql(sdkDocument('ArtifactByID'), { id: third.artifactId });
    expect(res.errors).toBeUndefined();
    expect(res.data?.artifact).toMatchObject({ versionIndex: 2, state: 'COMMITTED', fileCount: 2, digest: third.digest });
  });
});
