import type { Collection } from '../../db/tables.js';
import { builder } from '../../graphql/builder.js';
import { ArtifactCollectionRef, TagRef, type TagShape } from '../../graphql/refs.js';
import { TagInput } from './inputs.js';
import { markDeleted } from './schema.js';
import {
  createPortfolio,
  deletePortfolioCollection,
  deleteSequenceCollection,
  editCollection,
  retypeSequence,
  tagCollection,
  untagCollection,
} from './service-mutations.js';

const CollectionPayload = (name: string) =>
  builder.objectRef<{ artifactCollection: Collection }>(name).implement({
    fields: (t) => ({
      artifactCollection: t.field({ type: ArtifactCollectionRef, resolve: (p) => p.artifactCollection }),
      clientMutationId: t.string({ nullable: true, resolve: () => null }),
    }),
  });
const UpdateArtifactCollectionPayload = CollectionPayload('UpdateArtifactCollectionPayload');
const DeleteArtifactCollectionPayload = CollectionPayload('DeleteArtifactCollectionPayload');
const MoveArtifactCollectionPayload = CollectionPayload('MoveArtifactCollectionPayload');
const CreateArtifactPortfolioPayload = CollectionPayload('CreateArtifactPortfolioPayload');

const UpdateArtifactSequenceInput = builder.inputType('UpdateArtifactSequenceInput', {
  fields: (t) => ({
    artifactSequenceID: t.id({ required: true }),
    name: t.string(),
    description: t.string(),
    clientMutationId: t.string(),
  }),
});
const UpdateArtifactPortfolioInput = builder.inputType('UpdateArtifactPortfolioInput', {
  fields: (t) => ({
    artifactPortfolioID: t.id({ required: true }),
    name: t.string(),
    description: t.string(),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('updateArtifactSequence', (t) =>
  t.field({
    type: UpdateArtifactCollectionPayload,
    nullable: true,
    description: 'Renames a team project collection or changes its description.',
    args: { input: t.arg({ type: UpdateArtifactSequenceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      artifactCollection: await editCollection(ctx, { id: input.artifactSequenceID, kind: 'SEQUENCE' }, input),
    }),
  }),
);

builder.mutationField('updateArtifactPortfolio', (t) =>
  t.field({
    type: UpdateArtifactCollectionPayload,
    nullable: true,
    description: 'Renames a registry collection or changes its description (the model card). Needs member in the registry.',
    args: { input: t.arg({ type: UpdateArtifactPortfolioInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      artifactCollection: await editCollection(ctx, { id: input.artifactPortfolioID, kind: 'PORTFOLIO' }, input),
    }),
  }),
);

const MoveArtifactSequenceInput = builder.inputType('MoveArtifactSequenceInput', {
  fields: (t) => ({
    artifactSequenceID: t.id({ required: true }),
    destinationArtifactTypeName: t.string({ required: true }),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('moveArtifactSequence', (t) =>
  t.field({
    type: MoveArtifactCollectionPayload,
    nullable: true,
    description: "Changes a team project collection's type. Refused while any of its versions is linked into a registry.",
    args: { input: t.arg({ type: MoveArtifactSequenceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      artifactCollection: await retypeSequence(ctx, input.artifactSequenceID, input.destinationArtifactTypeName),
    }),
  }),
);

const DeleteArtifactSequenceInput = builder.inputType('DeleteArtifactSequenceInput', {
  fields: (t) => ({ artifactSequenceID: t.id({ required: true }), clientMutationId: t.string() }),
});
const DeleteArtifactPortfolioInput = builder.inputType('DeleteArtifactPortfolioInput', {
  fields: (t) => ({ artifactPortfolioID: t.id({ required: true }), clientMutationId: t.string() }),
});

builder.mutationField('deleteArtifactSequence', (t) =>
  t.field({
    type: DeleteArtifactCollectionPayload,
    nullable: true,
    description:
      'Deletes a team project collection and its versions. Refused (CONFLICT, with the list) while any version is linked into a registry.',
    args: { input: t.arg({ type: DeleteArtifactSequenceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      artifactCollection: markDeleted(await deleteSequenceCollection(ctx, input.artifactSequenceID)),
    }),
  }),
);

builder.mutationField('deleteArtifactPortfolio', (t) =>
  t.field({
    type: DeleteArtifactCollectionPayload,
    nullable: true,
    description:
      'Deletes a registry collection with its links and aliases; source versions stay. Needs registry admin while it holds a protected alias.',
    args: { input: t.arg({ type: DeleteArtifactPortfolioInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      artifactCollection: markDeleted(await deletePortfolioCollection(ctx, input.artifactPortfolioID)),
    }),
  }),
);

const tagNames = (tags: readonly { tagName: string }[]) => tags.map((t) => t.tagName);

const TagAssignmentsInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({
      artifactCollectionName: t.string({ required: true }),
      entityName: t.string({ required: true }),
      projectName: t.string({ required: true }),
      tags: t.field({ type: [TagInput], required: true }),
      clientMutationID: t.string(),
    }),
  });

builder.mutationField('createArtifactCollectionTagAssignments', (t) =>
  t.field({
    type: builder.objectRef<{ tags: TagShape[]; collection: Collection }>('CreateArtifactCollectionTagAssignmentsPayload').implement({
      fields: (f) => ({
        tags: f.field({ type: [TagRef], resolve: (p) => p.tags }),
        artifactCollection: f.field({
          type: ArtifactCollectionRef,
          description: 'The collection with its tags now.',
          resolve: (p) => p.collection,
        }),
      }),
    }),
    nullable: true,
    description: 'Adds tags to a collection (at most 20 at once).',
    args: { input: t.arg({ type: TagAssignmentsInput('CreateArtifactCollectionTagAssignmentsInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { collection, tags } = await tagCollection(ctx, input, tagNames(input.tags));
      return { tags: tags.map((name) => ({ name })), collection };
    },
  }),
);

builder.mutationField('deleteArtifactCollectionTagAssignments', (t) =>
  t.field({
    type: builder.objectRef<{ success: boolean; collection: Collection }>('DeleteArtifactCollectionTagAssignmentsPayload').implement({
      fields: (f) => ({
        success: f.exposeBoolean('success'),
        artifactCollection: f.field({
          type: ArtifactCollectionRef,
          description: 'The collection with its tags now.',
          resolve: (p) => p.collection,
        }),
      }),
    }),
    nullable: true,
    description: 'Removes tags from a collection.',
    args: { input: t.arg({ type: TagAssignmentsInput('DeleteArtifactCollectionTagAssignmentsInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      success: true,
      collection: await untagCollection(ctx, input, tagNames(input.tags)),
    }),
  }),
);

const CreateArtifactPortfolioInput = builder.inputType('CreateArtifactPortfolioInput', {
  fields: (t) => ({
    projectId: t.id({ required: true, description: 'The registry (its Project id).' }),
    name: t.string({ required: true }),
    type: t.string({ required: true, description: 'The artifact type of every version it will hold; fixed at creation.' }),
    description: t.string(),
    tags: t.stringList(),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('createArtifactPortfolio', (t) =>
  t.field({
    type: CreateArtifactPortfolioPayload,
    nullable: true,
    description: 'Creates an empty registry collection (the web app\'s "Create collection"). Needs member in the registry.',
    args: { input: t.arg({ type: CreateArtifactPortfolioInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ artifactCollection: await createPortfolio(ctx, input) }),
  }),
);
