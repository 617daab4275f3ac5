import crypto from 'node:crypto';

/**
 * The one hashing convention of draw-record@2 (docs/draw-record.md §2): every hash is SHA-256 over
 * length-prefixed parts, the first part a tag naming what is hashed. A part is bytes; text is its
 * UTF-8, a whole number its decimal text, a list one part made of its items, each length-prefixed.
 */
export type Part = string | number | Uint8Array | Part[];

const TEXT = new TextEncoder();

function bytesOf(part: Part): Uint8Array {
  if (part instanceof Uint8Array) return part;
  if (typeof part === 'number') {
    if (!Number.isSafeInteger(part)) throw new Error(`不是整数：${part}`);
    return TEXT.encode(String(part));
  }
  if (typeof part === 'string') return TEXT.encode(part);
  return Buffer.concat(part.map(prefixed));
}

/** uint32 big-endian length ‖ bytes. */
function prefixed(part: Part): Uint8Array {
  const bytes = bytesOf(part);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** A list's bytes, for callers that hash long lists in one update. */
export function encodeList(items: Part[]): Buffer {
  return Buffer.concat(items.map(prefixed));
}

/** H(tag, part…) = SHA-256(lp(tag) ‖ lp(part₁) ‖ …), hex. */
export function recordHash(tag: string, ...parts: Part[]): string {
  const hash = crypto.createHash('sha256').update(prefixed(tag));
  for (const part of parts) hash.update(prefixed(part));
  return hash.digest('hex');
}

export const TAGS = {
  secret: 'inspection-hub/draw-secret',
  seed: 'inspection-hub/draw-seed',
  /** 24 bytes, so that lp(tag) ‖ lp(seed) fills SHA-256's first 64-byte block exactly (see FirmRandom). */
  firm: 'inspection-hub/draw/firm',
  stratum: 'inspection-hub/stratum',
  populations: 'inspection-hub/populations',
  pool: 'inspection-hub/officer-pool',
  rules: 'inspection-hub/visit-rules',
  opening: 'inspection-hub/opening',
  rank: 'inspection-hub/officer-rank',
  start: 'inspection-hub/visit-start',
} as const;

/** commitment = H("inspection-hub/draw-secret", secret's 32 bytes). */
export function commitmentOf(secretHex: string): string {
  return recordHash(TAGS.secret, Buffer.from(secretHex, 'hex'));
}

/** seed = H("inspection-hub/draw-seed", secret's 32 bytes, entropy₁ … entropyₖ, draw id). */
export function deriveSeed(secretHex: string, entropies: string[], drawId: string): string {
  return recordHash(TAGS.seed, Buffer.from(secretHex, 'hex'), ...entropies, drawId);
}

/** An officer's place on the draw's circle: H("inspection-hub/officer-rank", seed's 32 bytes, certificate number). */
export function officerRank(seedHex: string, certificateNo: string): string {
  return recordHash(TAGS.rank, Buffer.from(seedHex, 'hex'), certificateNo);
}

/**
 * Where a visit starts on a department's circle of n officers: ⌊u · n⌋, u the first 52 bits of
 * H("inspection-hub/visit-start", seed's 32 bytes, visit key, department id). The tag and seed
 * parts are encoded once per draw; a reveal asks this for every visit and department.
 */
export function visitStarts(seedHex: string): (visitKey: string, departmentId: number, n: number) => number {
  const prefix = Buffer.concat([prefixed(TAGS.start), prefixed(Buffer.from(seedHex, 'hex'))]);
  return (visitKey, departmentId, n) => {
    const digest = crypto.hash('sha256', Buffer.concat([prefix, prefixed(visitKey), prefixed(departmentId)]), 'buffer');
    return Math.floor(unitOf(digest) * n);
  };
}

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** One SHA-256 compression of a 64-byte block into `out` (FIPS 180-4 §6.2.2). */
function compress(state: Int32Array, block: Uint8Array, out: Int32Array, w: Int32Array): void {
  for (let i = 0; i < 16; i++) w[i] = (block[4 * i] << 24) | (block[4 * i + 1] << 16) | (block[4 * i + 2] << 8) | block[4 * i + 3];
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15];
    const w2 = w[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let i = 0; i < 64; i++) {
    const t1 =
      (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  out[0] = (state[0] + a) | 0;
  out[1] = (state[1] + b) | 0;
  out[2] = (state[2] + c) | 0;
  out[3] = (state[3] + d) | 0;
  out[4] = (state[4] + e) | 0;
  out[5] = (state[5] + f) | 0;
  out[6] = (state[6] + g) | 0;
  out[7] = (state[7] + h) | 0;
}

const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/**
 * A firm's number in a draw: u = the first 52 bits of H("inspection-hub/draw/firm", seed's 32
 * bytes, USCC) as a fraction of 2⁵², so u ∈ [0, 1) and exact in a double. The same SHA-256, only
 * computed the way a miner does: lp(tag) ‖ lp(seed) is exactly SHA-256's first block, so its
 * state is computed once per draw and each firm costs one compression of its own block — about
 * a quarter of a call into node:crypto per firm. Any USCC of at most 45 bytes fits that block.
 */
export class FirmRandom {
  private readonly seed: Buffer;
  private readonly midstate = new Int32Array(8);
  private readonly block = new Uint8Array(64);
  private readonly out = new Int32Array(8);
  private readonly w = new Int32Array(64);

  constructor(seedHex: string) {
    this.seed = Buffer.from(seedHex, 'hex');
    const first = Buffer.concat([prefixed(TAGS.firm), prefixed(this.seed)]);
    if (first.length !== 64) throw new Error('抽取种子应为 32 字节');
    compress(INITIAL, first, this.midstate, this.w);
  }

  /** u for the USCC in bytes[offset, offset + length) (its UTF-8). */
  ofBytes(bytes: Uint8Array, offset: number, length: number): number {
    if (length > 45) return unitOf(Buffer.from(recordHash(TAGS.firm, this.seed, bytes.subarray(offset, offset + length)), 'hex'));
    const block = this.block;
    block.fill(0);
    block[3] = length;
    // Byte by byte: a subarray per firm would cost more than the copy.
    for (let i = 0; i < length; i++) block[4 + i] = bytes[offset + i];
    block[4 + length] = 0x80;
    const bits = (64 + 4 + length) * 8;
    block[62] = bits >>> 8;
    block[63] = bits & 0xff;
    compress(this.midstate, block, this.out, this.w);
    return ((this.out[0] >>> 0) * 2 ** 20 + ((this.out[1] >>> 0) >>> 12)) / 2 ** 52;
  }

  /** u for a USCC given as text. */
  ofText(uscc: string): number {
    const bytes = Buffer.from(uscc, 'utf8');
    return this.ofBytes(bytes, 0, bytes.length);
  }
}

/** The first 52 bits of a digest as a fraction of 2⁵². */
export function unitOf(digest: Uint8Array): number {
  const view = Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength);
  return (view.readUInt32BE(0) * 2 ** 20 + (view.readUInt32BE(4) >>> 12)) / 2 ** 52;
}
