import type { User } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { byKey, contextLoader } from '../../graphql/context-loaders.js';
import { usersByIds } from './repository.js';

/** Users by id, per request (who linked a version, who created a collection). */
export const userLoader = (ctx: Context) =>
  contextLoader(ctx, 'auth:user', async (ids: readonly number[]): Promise<(User | undefined)[]> =>
    byKey(ids, await usersByIds(ctx.db, ids), (u) => u.id),
  );
