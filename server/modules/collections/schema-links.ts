import type { Membership } from '../../db/tables.js';
import { builder } from '../../graphql/builder.js';
import { MembershipRef } from '../../graphql/refs.js';
import { ArtifactAliasInput } from './inputs.js';
import { linkVersion, requireViewer } from './service.js';
import { addAliases, removeAliases, unlinkVersion, versionsByIds } from './service-links.js';

const LinkArtifactInput = builder.inputType('LinkArtifactInput', {
  fields: (t) => ({
    aliases: t.field({ type: [ArtifactAliasInput] }),
    artifactID: t.id(),
    artifactPortfolioID: t.id(),
    artifactPortfolioName: t.string({ description: "The registry collection; created with the version's type when missing." }),
    clientID: t.id(),
    clientMutationId: t.string(),
    entityName: t.string({ description: 'The organization entity, for registry targets.' }),
    projectName: t.string({ description: '"wandb-registry-<name>".' }),
  }),
});

interface LinkResult {
  membership: Membership;
}

const LinkArtifactPayload = builder.objectRef<LinkResult>('LinkArtifactPayload').implement({
  fields: (t) => ({
    versionIndex: t.int({ nullable: true, resolve: (r) => r.membership.version_index }),
    artifactMembership: t.field({ type: MembershipRef, nullable: true, resolve: (r) => r.membership }),
    clientMutationId: t.string({ nullable: true, resolve: () => null }),
  }),
});

interface ChangedVersions {
  success: boolean;
  /** Ids of the linked versions whose aliases the mutation changed. */
  changed: number[];
}

/** `success` for the SDK; the changed versions for clients that keep a cache (the web app). */
const ChangedVersionsPayload = (name: string) =>
  builder.objectRef<ChangedVersions>(name).implement({
    fields: (t) => ({
      success: t.exposeBoolean('success'),
      clientMutationId: t.string({ nullable: true, resolve: () => null }),
      artifactMemberships: t.field({
        type: [MembershipRef],
        description: 'The versions whose aliases changed (an alias that moved names both), as they are now.',
        resolve: (p, _args, ctx) => versionsByIds(ctx, p.changed),
      }),
    }),
  });

builder.mutationField('linkArtifact', (t) =>
  t.field({
    type: LinkArtifactPayload,
    nullable: true,
    description:
      'Links a committed source version into a registry collection (created when missing). Linking the same version again returns its linked version and adds any new aliases.',
    args: { input: t.arg({ type: LinkArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ membership: await linkVersion(ctx, requireViewer(ctx), input) }),
  }),
);

const UnlinkArtifactInput = builder.inputType('UnlinkArtifactInput', {
  fields: (t) => ({
    artifactID: t.id({ required: true }),
    artifactPortfolioID: t.id({ required: true }),
    clientMutationId: t.string(),
  }),
});

builder.mutationField('unlinkArtifact', (t) =>
  t.field({
    type: ChangedVersionsPayload('UnlinkArtifactPayload'),
    nullable: true,
    description: 'Removes a linked version from a registry collection; the source version stays.',
    args: { input: t.arg({ type: UnlinkArtifactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ success: true, changed: await unlinkVersion(ctx, input) }),
  }),
);

const ArtifactCollectionAliasInput = builder.inputType('ArtifactCollectionAliasInput', {
  fields: (t) => ({
    alias: t.string({ required: true }),
    artifactCollectionName: t.string({ required: true }),
    entityName: t.string({ required: true }),
    projectName: t.string({ required: true }),
  }),
});

const AliasesInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({
      aliases: t.field({ type: [ArtifactCollectionAliasInput], required: true }),
      artifactID: t.id({ required: true }),
      clientMutationId: t.string(),
    }),
  });

builder.mutationField('addAliases', (t) =>
  t.field({
    type: ChangedVersionsPayload('AddAliasesPayload'),
    nullable: true,
    description: 'Puts aliases on a version in the named collections; an alias another version holds moves here.',
    args: { input: t.arg({ type: AliasesInput('AddAliasesInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => ({ success: true, changed: await addAliases(ctx, input) }),
  }),
);

builder.mutationField('deleteAliases', (t) =>
  t.field({
    type: ChangedVersionsPayload('DeleteAliasesPayload'),
    nullable: true,
    description: 'Removes aliases from a version in the named collections.',
    args: { input: t.arg({ type: AliasesInput('DeleteAliasesInput'), required: true }) },
    resolve: async (_root, { input }, ctx) => ({ success: true, changed: await removeAliases(ctx, input) }),
  }),
);
