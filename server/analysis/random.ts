// Seeded random streams (xoroshiro128+ from pure-rand) for the demo-data generator and for analyses' permutations.
// Every part forks its own named stream, so changing one part never shifts the numbers of another.

import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';

export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Normal (Box-Muller). */
  normal(mean?: number, sd?: number): number;
  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /** Poisson count with mean lambda (inversion for small, normal approximation for large lambda). */
  poisson(lambda: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to weights. */
  weightedIndex(weights: readonly number[]): number;
  /** Fisher-Yates, in place; returns the array. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream named by `label`, derived from this stream's seed. */
  fork(label: string): Rng;
}

/** FNV-1a 32-bit hash of a string (stream names → seeds). */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Four well-mixed 32-bit words from one seed (SplitMix32). pure-rand's own seeding puts the seed into
 * the state almost as is, so nearby seeds (forks of one stream) would start with related numbers.
 */
function stateFromSeed(seed: number): [number, number, number, number] {
  let x = seed >>> 0;
  const next = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  const state: [number, number, number, number] = [next(), next(), next(), next()];
  // xoroshiro's state must not be all zero.
  if (state.every((word) => word === 0)) state[3] = 1;
  return state;
}

export function createRng(seed: number): Rng {
  const generator: RandomGenerator = xoroshiro128plus.fromState(stateFromSeed(seed));
  let spareNormal: number | null = null;
  const next = (): number => {
    const high = (generator.unsafeNext() >>> 0) >>> 5; // 27 bits
    const low = (generator.unsafeNext() >>> 0) >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    uniform: (min, max) => min + next() * (max - min),
    normal: (mean = 0, sd = 1) => {
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return mean + sd * value;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return mean + sd * radius * Math.cos(2 * Math.PI * v);
    },
    exponential: (rate) => {
      let u = 0;
      while (u === 0) u = next();
      return -Math.log(u) / rate;
    },
    poisson: (lambda) => {
      if (lambda <= 0) return 0;
      if (lambda > 50) return Math.max(0, Math.round(rng.normal(lambda, Math.sqrt(lambda))));
      const limit = Math.exp(-lambda);
      let k = 0;
      let product = next();
      while (product > limit) {
        k += 1;
        product *= next();
      }
      return k;
    },
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weightedIndex: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let target = next() * total;
      for (let i = 0; i < weights.length; i++) {
        target -= weights[i]!;
        if (target < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const swap = items[i]!;
        items[i] = items[j]!;
        items[j] = swap;
      }
      return items;
    },
    fork: (label) => createRng((seed ^ hashLabel(label)) >>> 0),
  };
  return rng;
}
