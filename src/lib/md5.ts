/**
 * MD5 (RFC 1321). The SDK's write path identifies every file by its MD5 and Web Crypto has none, so
 * the browser computes it here. Incremental, so large files are hashed chunk by chunk.
 */

// Per-round shift amounts and the sine-derived constants of RFC 1321 §3.4.
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

export class Md5 {
  private state = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  private buffer = new Uint8Array(64);
  private buffered = 0;
  private length = 0;
  private readonly words = new Uint32Array(16);

  update(data: Uint8Array): this {
    let offset = 0;
    this.length += data.length;
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, data.length);
      this.buffer.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      offset = take;
      if (this.buffered < 64) return this;
      this.block(this.buffer, 0);
      this.buffered = 0;
    }
    for (; offset + 64 <= data.length; offset += 64) this.block(data, offset);
    this.buffer.set(data.subarray(offset), 0);
    this.buffered = data.length - offset;
    return this;
  }

  /** The 16-byte digest; the hash cannot be updated afterwards. */
  digest(): Uint8Array {
    const bits = this.length * 8;
    const padding = new Uint8Array((this.buffered < 56 ? 56 : 120) - this.buffered + 8);
    padding[0] = 0x80;
    const view = new DataView(padding.buffer);
    view.setUint32(padding.length - 8, bits >>> 0, true);
    view.setUint32(padding.length - 4, Math.floor(bits / 2 ** 32), true);
    this.update(padding);
    const out = new Uint8Array(16);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 4; i++) outView.setUint32(i * 4, this.state[i] ?? 0, true);
    return out;
  }

  private block(data: Uint8Array, offset: number): void {
    const w = this.words;
    for (let i = 0; i < 16; i++) {
      const j = offset + i * 4;
      w[i] = ((data[j] ?? 0) | ((data[j + 1] ?? 0) << 8) | ((data[j + 2] ?? 0) << 16) | ((data[j + 3] ?? 0) << 24)) >>> 0;
    }
    let a = this.state[0] ?? 0;
    let b = this.state[1] ?? 0;
    let c = this.state[2] ?? 0;
    let d = this.state[3] ?? 0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const shift = S[(i >> 4) * 4 + (i % 4)] ?? 0;
      const sum = (a + f + (K[i] ?? 0) + (w[g] ?? 0)) >>> 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) >>> 0;
    }
    this.state[0] = ((this.state[0] ?? 0) + a) >>> 0;
    this.state[1] = ((this.state[1] ?? 0) + b) >>> 0;
    this.state[2] = ((this.state[2] ?? 0) + c) >>> 0;
    this.state[3] = ((this.state[3] ?? 0) + d) >>> 0;
  }
}

const encoder = new TextEncoder();
const bytes = (input: string | Uint8Array) => (typeof input === 'string' ? encoder.encode(input) : input);

export function md5Hex(input: string | Uint8Array): string {
  return Array.from(new Md5().update(bytes(input)).digest(), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function md5Base64(input: string | Uint8Array): string {
  return toBase64(new Md5().update(bytes(input)).digest());
}

export function toBase64(data: Uint8Array): string {
  let text = '';
  for (const b of data) text += String.fromCharCode(b);
  return btoa(text);
}

/** MD5 of a browser File, read in 4 MiB slices so large files never sit in memory at once. */
export async function md5OfBlob(blob: Blob): Promise<string> {
  const hash = new Md5();
  const slice = 4 * 1024 * 1024;
  for (let start = 0; start < blob.size; start += slice) {
    hash.update(new Uint8Array(await blob.slice(start, start + slice).arrayBuffer()));
  }
  return toBase64(hash.digest());
}

/**
 * MD5s of a File in one read: the whole file's (base64) and each `partSize` part's (hex), for a
 * multipart upload. `partSize` is a multiple of the 4 MiB slice, so a slice never straddles two parts.
 */
export async function md5OfBlobParts(blob: Blob, partSize: number): Promise<{ md5: string; partsHex: string[] }> {
  const slice = 4 * 1024 * 1024;
  if (partSize % slice !== 0) throw new Error('partSize must be a multiple of 4 MiB');
  const whole = new Md5();
  const partsHex: string[] = [];
  let part = new Md5();
  for (let start = 0; start < blob.size; start += slice) {
    const bytes = new Uint8Array(await blob.slice(start, start + slice).arrayBuffer());
    whole.update(bytes);
    part.update(bytes);
    const end = start + bytes.length;
    if (end % partSize === 0 || end === blob.size) {
      partsHex.push(toHex(part.digest()));
      part = new Md5();
    }
  }
  return { md5: toBase64(whole.digest()), partsHex };
}

const toHex = (data: Uint8Array) => Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
