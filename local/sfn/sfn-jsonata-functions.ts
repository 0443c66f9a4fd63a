/**
 * The JSONata functions Step Functions adds to the language ($partition, $range, $hash, $random,
 * $uuid, $parse). Errors thrown here surface as States.QueryEvaluationError, like on AWS.
 */
import { createHash, randomUUID } from 'node:crypto';

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function partition(array: unknown, size: unknown): unknown[][] {
  if (!Array.isArray(array)) throw new Error('$partition expects an array as its first argument');
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
    throw new Error('$partition expects a positive integer chunk size');
  }
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
  return chunks;
}

/** A one-element range is that number, as AWS gives it and as JSONata prints a singleton sequence. */
function range(start: unknown, end: unknown, step: unknown): number[] | number {
  if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number') {
    throw new Error('$range expects three numbers: start, end, step');
  }
  if (step === 0) throw new Error('$range step must not be 0');
  const values: number[] = [];
  // AWS caps generated arrays at 1000 elements.
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
    values.push(v);
    if (values.length > 1000) throw new Error('$range would produce more than 1000 items');
  }
  return values.length === 1 ? (values[0] as number) : values;
}

function hash(data: unknown, algorithm: unknown): string {
  if (typeof data !== 'string') throw new Error('$hash expects a string to hash');
  const name = typeof algorithm === 'string' ? HASH_ALGORITHMS[algorithm] : undefined;
  if (name === undefined) throw new Error(`$hash algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
  return createHash(name).update(data).digest('hex');
}

/** mulberry32: a seeded $random must give the same number for the same seed. */
function seededRandom(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function random(seed?: unknown): number {
  if (seed === undefined) return Math.random();
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new Error('$random seed must be an integer');
  return seededRandom(seed);
}

function parse(text: unknown): unknown {
  if (typeof text !== 'string') throw new Error('$parse expects a JSON string');
  return JSON.parse(text) as unknown;
}

export const stepFunctionsJsonataFunctions: readonly {
  name: string;
  impl: (...args: never[]) => unknown;
  signature: string;
}[] = [
  { name: 'partition', impl: partition, signature: '<an:a>' },
  { name: 'range', impl: range, signature: '<nnn:x>' },
  { name: 'hash', impl: hash, signature: '<ss:s>' },
  { name: 'random', impl: random, signature: '<n?:n>' },
  { name: 'uuid', impl: () => randomUUID(), signature: '<:s>' },
  { name: 'parse', impl: parse, signature: '<s:x>' },
];
