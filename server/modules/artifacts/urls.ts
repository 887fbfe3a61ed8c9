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
/** A part of a multipart upload of the local store: the file's upload token is the credential, as for a whole PUT. */
export const uploadPartUrl = (ctx: Context, token: string, uploadId: string, partNumber: number) =>
  `${origin(ctx)}/files/upload-part/${token}/${uploadId}/${partNumber}`;
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

/**
 * Types a browser cannot run as a page or a script, kept as the uploader declared them; anything else
 * (HTML, SVG, XML, PDF, JavaScript, unknown) is served as plain bytes. Every download is an attachment
 * with nosniff and a sandbox policy as well, so even a mislabelled file never renders on our origin.
 */
const SAFE_DOWNLOAD_TYPES = new Set(['text/plain', 'text/csv', 'application/json', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function downloadType(declared: string | null): string {
  const type = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return SAFE_DOWNLOAD_TYPES.has(type) ? type : 'application/octet-stream';
}
