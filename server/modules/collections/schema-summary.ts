import type { Context } from '../../graphql/builder.js';
import { builder } from '../../graphql/builder.js';
import { byKey, contextLoader } from '../../graphql/context-loaders.js';
import { ArtifactCollectionRef, MembershipRef, ProjectRef } from '../../graphql/refs.js';
import { prime } from './loaders.js';

/* eslint-disable import-x/no-restricted-paths -- this resolver still reads through the repository; its service function is still to write */
import {
  summariesByCollectionIds,
  summariesByProjectIds,
  type CollectionSummaryRow,
  type RegistrySummaryRow,
} from './repository-summary.js';
/* eslint-enable import-x/no-restricted-paths */

// What a registry's collections table shows per row (latest version, number of versions) and a
// registry card shows (collections, linked versions), without a statement per row: one batched
// statement for the whole page.

const summaryLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.summary', async (ids: readonly number[]): Promise<(CollectionSummaryRow | undefined)[]> => {
    const rows = await summariesByCollectionIds(ctx.db, ids);
    prime(
      ctx,
      rows.flatMap((row) => (row.latest ? [{ membership: row.latest }] : [])),
    );
    return byKey(ids, rows, (row) => row.collection_id);
  });

// On every collection: a registry's rows and the artifact browser's sidebar (a sequence's versions).
builder.interfaceFields(ArtifactCollectionRef, (t) => ({
  versionCount: t.int({
    description: 'How many versions the collection holds (counted for a whole page of collections at once).',
    resolve: async (c, _args, ctx) => (await summaryLoader(ctx).load(c.id))?.version_count ?? 0,
  }),
  latestVersion: t.field({
    type: MembershipRef,
    nullable: true,
    description: 'The newest version (the one holding `latest`); null when the collection is empty.',
    resolve: async (c, _args, ctx) => (await summaryLoader(ctx).load(c.id))?.latest ?? null,
  }),
}));

const registrySummaryLoader = (ctx: Context) =>
  contextLoader(ctx, 'collections.registrySummary', async (ids: readonly number[]): Promise<(RegistrySummaryRow | undefined)[]> =>
    byKey(ids, await summariesByProjectIds(ctx.db, ids), (row) => row.project_id),
  );

builder.objectFields(ProjectRef, (t) => ({
  collectionCount: t.int({
    description: 'How many registry collections it holds (0 for team projects).',
    resolve: async (p, _args, ctx) => (await registrySummaryLoader(ctx).load(p.id))?.collection_count ?? 0,
  }),
  linkedVersionCount: t.int({
    description: 'How many versions are linked into its collections (0 for team projects).',
    resolve: async (p, _args, ctx) => (await registrySummaryLoader(ctx).load(p.id))?.version_count ?? 0,
  }),
}));
