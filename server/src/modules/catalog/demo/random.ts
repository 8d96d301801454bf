// Seeded randomness for the demo data: pure functions of (seed, index), so any product can be rebuilt alone.

/** Murmur3's 32-bit finaliser: a fast, well-mixed hash of one 32-bit word. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hashes a list of numbers (integers, up to 2^53) into one 32-bit word. */
export function hash(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const low = part >>> 0;
    const high = Math.floor(part / 0x1_0000_0000) >>> 0;
    h = mix32(h ^ mix32(low + 0x7f4a7c15));
    h = mix32(h ^ mix32(high + 0x165667b1));
  }
  return h;
}

/** A hash of the parts as a number in [0, 1). */
export function hashUnit(...parts: number[]): number {
  return hash(...parts) / 0x1_0000_0000;
}

/** A small, fast PRNG (sfc32) with a few helpers; never Math.random. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seed: number[]) {
    this.a = hash(...seed, 1);
    this.b = hash(...seed, 2);
    this.c = hash(...seed, 3);
    this.d = hash(...seed, 4);
    // A few warm-up rounds so nearby seeds diverge at once.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform number in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** An integer in [min, max] drawn log-uniformly, so small values are as likely per decade as large ones. */
  logInt(min: number, max: number): number {
    const lo = Math.log(min);
    const hi = Math.log(max + 1);
    return Math.min(max, Math.floor(Math.exp(lo + this.next() * (hi - lo))));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/**
 * A keyed bijection on [0, size): a 4-round Feistel network over the next even power of two, walking the
 * cycle until the value falls inside the domain. Distinct inputs always give distinct outputs.
 */
export function permute(index: number, size: number, key: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`index ${index} is outside [0, ${size})`);
  }
  let bits = Math.max(2, Math.ceil(Math.log2(size)));
  if (bits % 2 === 1) bits += 1;
  const halfBits = bits / 2;
  const half = 2 ** halfBits;
  const mask = half - 1;
  let x = index;
  do {
    let left = Math.floor(x / half);
    let right = x % half;
    for (let round = 0; round < 4; round++) {
      const next = (left ^ (hash(key, round, right) & mask)) >>> 0;
      left = right;
      right = next;
    }
    x = left * half + right;
  } while (x >= size);
  return x;
}
