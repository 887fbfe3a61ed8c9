import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5, md5Base64, md5Hex, md5OfBlob } from '../../src/lib/md5';

describe('md5 (browser uploads)', () => {
  it('matches the RFC 1321 test suite', () => {
    const vectors: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [input, hex] of vectors) expect(md5Hex(input), JSON.stringify(input)).toBe(hex);
  });

  it('agrees with node:crypto around block boundaries, in base64, fed in pieces', () => {
    for (const size of [55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70_000]) {
      const data = new Uint8Array(Array.from({ length: size }, (_, i) => (i * 31 + size) % 256));
      const expected = createHash('md5').update(data).digest('base64');
      expect(md5Base64(data), `size ${size}`).toBe(expected);
      const pieces = new Md5();
      for (let i = 0; i < size; i += 17) pieces.update(data.subarray(i, i + 17));
      expect(Buffer.from(pieces.digest()).toString('base64'), `size ${size} in pieces`).toBe(expected);
    }
    expect(md5Base64('héllo wörld')).toBe(createHash('md5').update('héllo wörld').digest('base64'));
  });

  it('hashes a Blob slice by slice', async () => {
    const data = new Uint8Array(5 * 1024 * 1024 + 3).map((_, i) => i % 251);
    expect(await md5OfBlob(new Blob([data]))).toBe(createHash('md5').update(data).digest('base64'));
  });
});
