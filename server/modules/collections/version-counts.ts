import { builder } from '../../graphql/builder.js';
import { byKey, contextLoader } from '../../graphql/context-loaders.js';
import { ArtifactCollectionRef } from '../../graphql/refs.js';
import { versionCountsByCollectionIds } from './version-counts-repository.js';

// A list of collections with their sizes (the artifact browser's sidebar) in one statement, where
// `artifactMemberships { totalCount }` would count each collection on its own.
builder.interfaceFields(ArtifactCollectionRef, (t) => ({
  versionCount: t.int({
    description: 'How many versions the collection holds (counted for a whole page of collections at once).',
    resolve: (c, _args, ctx) =>
      contextLoader(ctx, 'collections.versionCount', async (ids: readonly number[]) =>
        byKey(ids, await versionCountsByCollectionIds(ctx.db, ids), (row) => row.collection_id).map((row) => row?.n ?? 0),
      ).load(c.id),
  }),
}));
