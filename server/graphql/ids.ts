import { userError } from './errors.js';

/** W&B-style global ids: base64 of `Type:N`. The SDK decodes some of them itself. */
export function encodeId(type: string, id: number | string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64');
}

/** Decodes an id of one of the expected types; anything else is a clear BAD_USER_INPUT error. */
export function decodeId(id: string, ...types: string[]): number {
  const text = id.length <= 200 ? Buffer.from(id, 'base64').toString('utf8') : '';
  const match = /^([A-Za-z]+):(\d{1,9})$/.exec(text);
  if (!match || !types.includes(match[1] ?? '')) {
    throw userError('BAD_USER_INPUT', `"${id.slice(0, 60)}" is not a valid ${types.join(' or ')} id.`);
  }
  return Number(match[2]);
}
