import type { ApiKey } from '../../db/tables.js';
import { builder, connection } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { decodeId, encodeId } from '../../graphql/ids.js';
import { ApiKeyRef, UserRef } from '../../graphql/refs.js';
import { changePassword, passwordLinkTarget, resetPassword, setPasswordWithLink, type PasswordLink } from './passwords.js';
import { visibleEmail } from './access.js';
import { apiKeysOf, createApiKey, revokeApiKey } from './service.js';

ApiKeyRef.implement({
  description: 'An API key of the viewer. The secret itself is shown once, when the key is created.',
  fields: (t) => ({
    id: t.id({ resolve: (k) => encodeId('ApiKey', k.id) }),
    // W&B shows the key as its name; we keep only a digest, so the name is the key's first characters.
    name: t.string({ resolve: (k) => `${k.prefix}…` }),
    description: t.string({ nullable: true, resolve: (k) => k.description }),
    createdAt: t.field({ type: 'DateTime', resolve: (k) => k.created_at }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.last_used_at }),
  }),
});

const ApiKeyConnection = connection('ApiKey', ApiKeyRef);

UserRef.implement({
  fields: (t) => ({
    id: t.id({ resolve: (u) => encodeId('User', u.id) }),
    name: t.string({ resolve: (u) => u.name || u.username }),
    username: t.string({ nullable: true, resolve: (u) => u.username }),
    email: t.string({
      nullable: true,
      description: 'Shown to org admins and to the user themself; null for everyone else.',
      resolve: (u, _args, ctx) => visibleEmail(ctx.viewer, u),
    }),
    admin: t.boolean({ nullable: true, resolve: (u) => u.org_role === 'admin' }),
    orgRole: t.string({ description: 'admin, member or viewer.', resolve: (u) => u.org_role }),
    flags: t.field({ type: 'JSONString', nullable: true, resolve: () => '{}' }),
    deletedAt: t.field({ type: 'DateTime', nullable: true, resolve: (u) => u.deleted_at }),
    apiKeys: t.field({
      type: ApiKeyConnection,
      nullable: true,
      // Only the user themself sees their keys.
      resolve: async (u, _args, ctx) => {
        const keys = await apiKeysOf(ctx.db, ctx.viewer, u);
        if (!keys) return null;
        return { hasNextPage: false, edges: keys.map((node) => ({ node, cursor: String(node.id) })) };
      },
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({ type: UserRef, nullable: true, description: 'The signed-in user; null when anonymous.', resolve: (_r, _a, ctx) => ctx.viewer }),
);

const GenerateApiKeyPayload = builder.objectRef<{ apiKey: ApiKey; key: string }>('GenerateApiKeyPayload').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (p) => p.apiKey }),
    key: t.exposeString('key', { description: 'The secret. It is shown this once and cannot be read again.' }),
  }),
});

const GenerateApiKeyInput = builder.inputType('GenerateApiKeyInput', {
  fields: (t) => ({ description: t.string({ required: false }) }),
});

builder.mutationField('generateApiKey', (t) =>
  t.field({
    type: GenerateApiKeyPayload,
    args: { input: t.arg({ type: GenerateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (!ctx.viewer) throw userError('UNAUTHENTICATED', 'Sign in to create an API key.');
      return createApiKey(ctx.db, ctx.viewer, input.description ?? '');
    },
  }),
);

const DeleteApiKeyInput = builder.inputType('DeleteApiKeyInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

builder.mutationField('deleteApiKey', (t) =>
  t.field({
    type: builder.simpleObject('DeleteApiKeyPayload', { fields: (f) => ({ success: f.boolean() }) }),
    args: { input: t.arg({ type: DeleteApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (!ctx.viewer) throw userError('UNAUTHENTICATED', 'Sign in to revoke an API key.');
      const id = decodeId(input.id, 'ApiKey');
      await revokeApiKey(ctx.db, ctx.viewer, id);
      return { success: true };
    },
  }),
);

export const PasswordLinkRef = builder.objectRef<PasswordLink>('PasswordLink').implement({
  description:
    'A one-time link that lets a user choose a password. Give it to the user: it works once, until it expires, and a newer link for the same user replaces it.',
  fields: (t) => ({
    url: t.exposeString('url'),
    expiresAt: t.field({ type: 'DateTime', resolve: (l) => l.expiresAt }),
  }),
});

builder.mutationField('changePassword', (t) =>
  t.field({
    type: builder.simpleObject('ChangePasswordPayload', { fields: (f) => ({ user: f.field({ type: UserRef }) }) }),
    description: "Changes the viewer's password; needs the current one. The viewer's other sessions end; this one stays.",
    args: {
      input: t.arg({
        type: builder.inputType('ChangePasswordInput', {
          fields: (f) => ({
            currentPassword: f.string({ required: true }),
            newPassword: f.string({ required: true, description: '8-1000 characters.' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      if (!ctx.viewer) throw userError('UNAUTHENTICATED', 'Sign in to change your password.');
      const user = await changePassword(ctx.db, ctx.viewer, input, ctx.clientAddress ?? 'unknown', ctx.sessionToken);
      return { user };
    },
  }),
);

builder.mutationField('createPasswordResetLink', (t) =>
  t.field({
    type: builder.simpleObject('CreatePasswordResetLinkPayload', {
      fields: (f) => ({ user: f.field({ type: UserRef }), passwordLink: f.field({ type: PasswordLinkRef }) }),
    }),
    description:
      "Org admins: a one-time link for a user to choose a new password, valid for a day. The user's sessions end now; their old password works until the link is used.",
    args: {
      input: t.arg({
        type: builder.inputType('CreatePasswordResetLinkInput', { fields: (f) => ({ username: f.string({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer;
      if (!viewer) throw userError('UNAUTHENTICATED', "Sign in to reset a user's password.");
      if (viewer.org_role !== 'admin') {
        throw userError('FORBIDDEN', `To reset a user's password you need the organization admin role; yours is ${viewer.org_role}.`);
      }
      return resetPassword(ctx.db, viewer, input.username, ctx.origin ?? '');
    },
  }),
);

builder.queryField('passwordLink', (t) =>
  t.field({
    type: builder.simpleObject('PasswordLinkTarget', {
      description: 'Whose password a one-time link sets.',
      fields: (f) => ({ username: f.string(), expiresAt: f.field({ type: 'DateTime' }) }),
    }),
    nullable: true,
    description: 'What a one-time password link is for, while it works (null once used, expired or replaced). Does not use the link.',
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_root, { token }, ctx) => {
      const target = await passwordLinkTarget(ctx.db, token);
      return target ? { username: target.user.username, expiresAt: target.expiresAt } : null;
    },
  }),
);

builder.mutationField('setPasswordWithLink', (t) =>
  t.field({
    type: builder.simpleObject('SetPasswordWithLinkPayload', { fields: (f) => ({ username: f.string() }) }),
    description:
      "Sets a user's password with a one-time link (no sign-in needed). The link stops working and every session of the user ends.",
    args: {
      input: t.arg({
        type: builder.inputType('SetPasswordWithLinkInput', {
          fields: (f) => ({
            token: f.string({ required: true, description: 'The part of the link after "#".' }),
            newPassword: f.string({ required: true, description: '8-1000 characters.' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const user = await setPasswordWithLink(ctx.db, input.token, input.newPassword);
      return { username: user.username };
    },
  }),
);
