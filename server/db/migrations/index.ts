import type { Migration } from 'kysely';
import * as initial from './2026_11_23_0001_initial.js';
import * as registry from './2026_11_23_0002_registry.js';
import * as artifacts from './2026_11_23_0003_artifacts.js';
import * as linkIndexes from './2026_12_01_0004_link_indexes.js';
import * as contentSha256 from './2026_12_07_0005_content_sha256.js';
import * as signIn from './2026_12_07_0006_sign_in.js';
import * as manifestBatches from './2026_12_07_0007_manifest_batches.js';
import * as runs from './2026_12_07_0008_runs.js';
import * as events from './2026_12_07_0010_events.js';
import * as automations from './2026_12_07_0020_automations.js';
import * as deliveryNotify from './2026_12_07_0050_delivery_notify.js';

/** Every migration, in order. Names are dated and never change once released. */
export const migrations: Record<string, Migration> = {
  '2026_11_23_0001_initial': initial,
  '2026_11_23_0002_registry': registry,
  '2026_11_23_0003_artifacts': artifacts,
  '2026_12_01_0004_link_indexes': linkIndexes,
  '2026_12_07_0005_content_sha256': contentSha256,
  '2026_12_07_0006_sign_in': signIn,
  '2026_12_07_0007_manifest_batches': manifestBatches,
  '2026_12_07_0008_runs': runs,
  '2026_12_07_0010_events': events,
  '2026_12_07_0020_automations': automations,
  '2026_12_07_0050_delivery_notify': deliveryNotify,
};
