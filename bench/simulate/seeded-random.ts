/**
 * A small seeded random source (mulberry32): the same seed gives the same cohort on every machine, so
 * two protocol variants can be run on the very same patients. Each patient draws from streams of its
 * own, one per kind of choice, so a variant that changes how often one thing happens (a postponed
 * session asks for one more check-in) does not shift every later draw of that patient.
 */
export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform in [min, max) */
  between(min: number, max: number): number;
  /** true with this probability */
  chance(probability: number): boolean;
  /** an outcome by weight, e.g. pick({ eligible: 0.75, ineligible: 0.1 }) */
  pick<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** normal distribution (Box-Muller), for readings such as blood pressure */
  normal(mean: number, deviation: number): number;
}

export function seededRandom(...seed: readonly (number | string)[]): Random {
  let state = hashSeed(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    between: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick(weights) {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key;
      }
      return (entries.at(-1) as [keyof typeof weights, number])[0];
    },
    normal(mean, deviation) {
      const u = Math.max(next(), Number.EPSILON);
      return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** FNV-1a over the parts, so ("7", 12, "check-in") always seeds the same stream. */
function hashSeed(parts: readonly (number | string)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
