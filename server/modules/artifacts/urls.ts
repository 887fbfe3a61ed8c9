import type { Context } from '../../graphql/builder.js';
import { pathSigner, signPath } from './signing.js';

/**
 * The SDK fetches and uploads with absolute URLs, so they carry the origin the request came in on
 * (yoga puts the request in the context).
 */
export function origin(ctx: Context): string {
  const request = (ctx as Context & { request?: Request }).request;
  return request ? new URL(request.url).origin : '';
}

export const uploadUrl = (ctx: Context, token: string) => `${origin(ctx)}/files/upload/${token}`;
export const manifestUploadUrl = (ctx: Context, token: string) => `${origin(ctx)}/files/manifest-upload/${token}`;

/** Signed, expiring download URL of one file of a version. */
export async function fileDownloadUrl(ctx: Context, artifactId: number, fileId: number): Promise<string> {
  return origin(ctx) + (await signPath(ctx.db, `/files/artifacts/${artifactId}/files/${fileId}`));
}

export async function manifestDownloadUrl(ctx: Context, artifactId: number): Promise<string> {
  return origin(ctx) + (await signPath(ctx.db, `/files/artifacts/${artifactId}/manifest`));
}

/** Signs the download URLs of a page of files (5 000 for the SDK's download()) synchronously, once set up. */
export async function fileUrlSigner(ctx: Context): Promise<(artifactId: number, fileId: number) => string> {
  const base = origin(ctx);
  const sign = await pathSigner(ctx.db);
  return (artifactId, fileId) => base + sign(`/files/artifacts/${artifactId}/files/${fileId}`);
}
