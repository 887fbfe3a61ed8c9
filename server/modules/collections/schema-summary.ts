import { builder } from '../../graphql/builder.js';
import { ArtifactCollectionRef, MembershipRef, ProjectRef } from '../../graphql/refs.js';
import { collectionSummaryLoader, registrySummaryLoader } from './loaders.js';

// What a registry's collections table shows per row (latest version, number of versions) and a
// registry card shows (collections, linked versions), without a statement per row: one batched
// statement for the whole page.

// On every collection: a registry's rows and the artifact browser's sidebar (a sequence's versions).
builder.interfaceFields(ArtifactCollectionRef, (t) => ({
  versionCount: t.int({
    description: 'How many versions the collection holds (counted for a whole page of collections at once).',
    resolve: async (c, _args, ctx) => (await collectionSummaryLoader(ctx).load(c.id))?.version_count ?? 0,
  }),
  latestVersion: t.field({
    type: MembershipRef,
    nullable: true,
    description: 'The newest version (the one holding `latest`); null when the collection is empty.',
    resolve: async (c, _args, ctx) => (await collectionSummaryLoader(ctx).load(c.id))?.latest ?? null,
  }),
}));

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
