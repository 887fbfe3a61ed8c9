import { builder } from '../../graphql/builder.js';

// Input types that several SDK mutations share (createArtifact, updateArtifact, linkArtifact,
// collection tags): defined once here, imported by whichever module needs them.

export const ArtifactAliasInput = builder.inputType('ArtifactAliasInput', {
  fields: (t) => ({
    alias: t.string({ required: true }),
    artifactCollectionName: t.string({ required: true }),
  }),
});

export const TagInput = builder.inputType('TagInput', {
  fields: (t) => ({
    tagName: t.string({ required: true }),
    tagCategoryName: t.string(),
    attributes: t.string(),
  }),
});

/** Collection ids name their kind; any of the three names is accepted back. */
export const COLLECTION_ID_TYPES = ['ArtifactCollection', 'ArtifactSequence', 'ArtifactPortfolio'] as const;
