/** A small seeded PRNG (mulberry32): the same seed gives the same sandbox, run after run. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash of a string, to derive per-item randomness and ids from the seed. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A deterministic id with a Medusa-like prefix (e.g. "variant_01H..."). */
export function stableId(prefix: string, key: string, seed: number): string {
  const a = hash32(key, seed).toString(36).toUpperCase().padStart(7, "0");
  const b = hash32(key, seed ^ 0x5bd1e995)
    .toString(36)
    .toUpperCase()
    .padStart(7, "0");
  return `${prefix}_01${a}${b}`;
}
