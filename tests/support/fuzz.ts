/**
 * Random and mutated values for fuzzing the API: a seeded generator (a failure names its seed, and
 * NETWRIGHT_FUZZ_SEED replays it), hostile leaves, and mutations of valid requests.
 */

/** mulberry32: small, fast, and good enough to drive a fuzzer. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(256)));
  }
}

/** The seed for this run: NETWRIGHT_FUZZ_SEED when set, else a fresh one. */
export function fuzzSeed(): number {
  const fromEnv = Number(process.env.NETWRIGHT_FUZZ_SEED);
  return Number.isInteger(fromEnv) && process.env.NETWRIGHT_FUZZ_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}

const NUMBERS = [0, -0, 1, -1, 0.5, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, 5e-324, 9999, 10_001, 65_536, 1e21, NaN, Infinity, -Infinity];

/** Keys that have tripped up JavaScript object handling before. */
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'then', 'length', '', 'extra', 'id', 'path', 'kind', 'nodes', 'document'];

/** Leaves worth trying anywhere: edge numbers and strings, including paths that try to leave the workspace. */
export function hostileStrings(outside: string): string[] {
  return [
    '',
    ' ',
    '.',
    '..',
    '/',
    '\\',
    '../outside/keep.netwright',
    '../../outside',
    '../outside/runs',
    `${outside}/keep.netwright`,
    `${outside}/new.netwright`,
    outside,
    '/etc/passwd',
    'C:\\Windows\\win.ini',
    'a'.repeat(101),
    'x'.repeat(5000),
    '\u0000',
    'nul\u0000byte.netwright',
    '\ud800',
    '😀',
    '%E0%A4%A',
    '%2e%2e%2f',
    '__proto__',
    'constructor',
    'file:///etc/passwd',
    'lenet.netwright',
    '-1',
    'NaN',
    'true',
    '{}',
    '<script>alert(1)</script>',
  ];
}

export interface ValueOptions {
  strings: readonly string[];
  /** Values a structured clone carries (Electron IPC) but JSON doesn't. */
  nonJson: boolean;
}

function nonJsonValue(random: Random): unknown {
  switch (random.int(7)) {
    case 0:
      return undefined;
    case 1:
      return BigInt(random.int(1000)) * 10n ** 30n;
    case 2:
      return new Date(random.chance(0.5) ? NaN : 0);
    case 3:
      return new Map([['a', 1]]);
    case 4:
      return new Uint8Array(random.int(16));
    case 5:
      return [1, , 3];
    default:
      return new Set([1]);
  }
}

/** A random value: mostly small, sometimes deep or long. */
export function randomValue(random: Random, options: ValueOptions, depth = 0): unknown {
  const roll = random.int(depth > 3 ? 5 : 9);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.chance(0.5) ? random.pick(NUMBERS) : random.int(1000) - 500;
    case 3:
      return random.pick(options.strings);
    case 4:
      return options.nonJson && random.chance(0.3) ? nonJsonValue(random) : random.bytes(random.int(12)).toString('latin1');
    case 5:
      return Array.from({ length: random.int(5) }, () => randomValue(random, options, depth + 1));
    case 6: {
      const object: Record<string, unknown> = {};
      for (let i = random.int(5); i > 0; i--) object[random.pick(KEYS)] = randomValue(random, options, depth + 1);
      return object;
    }
    case 7:
      return deeplyNested(random, 1 + random.int(random.chance(0.2) ? 4000 : 200));
    default:
      return random.chance(0.5) ? 'y'.repeat(random.int(200_000)) : Array.from({ length: random.int(70_000) }, () => 0);
  }
}

/** `depth` arrays or objects inside each other (JSON.stringify itself overflows not far past 4000). */
export function deeplyNested(random: Random, depth: number): unknown {
  const asArray = random.chance(0.5);
  let value: unknown = random.pick(NUMBERS);
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

type Container = Record<string, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype);

/** Every container in the tree (up to `limit`), to pick one to mutate. */
function containers(root: unknown, limit = 2000): Container[] {
  const found: Container[] = [];
  const stack = [root];
  while (stack.length > 0 && found.length < limit) {
    const value = stack.pop();
    if (!isContainer(value)) continue;
    found.push(value);
    stack.push(...Object.values(value));
  }
  return found;
}

/** JSON text nested far deeper than any value a test could build and stringify. */
export function deepJsonText(depth: number): string {
  return `${'['.repeat(depth)}0${']'.repeat(depth)}`;
}

/** A plain-JSON deep copy (valid requests are JSON). */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A few random changes to a copy of `valid`: replaced, dropped, added, duplicated or re-typed parts. */
export function mutate(random: Random, valid: unknown, options: ValueOptions): unknown {
  const root = { value: copy(valid) };
  for (let steps = 1 + random.int(3); steps > 0; steps--) {
    const target = random.pick(containers(root));
    const keys = Object.keys(target);
    const key = keys.length > 0 ? random.pick(keys) : '0';
    const record = target as Record<string, unknown>;
    switch (random.int(6)) {
      case 0:
        record[key] = randomValue(random, options);
        break;
      case 1:
        if (Array.isArray(target)) target.splice(Number(key), 1);
        else delete record[key];
        break;
      case 2:
        // An own property even for '__proto__', as JSON.parse makes it.
        if (Array.isArray(target)) target.push(randomValue(random, options));
        else Object.defineProperty(target, random.pick(KEYS), { value: randomValue(random, options), enumerable: true, configurable: true, writable: true });
        break;
      case 3:
        // Same type, edge value: the checks past the schema (ranges, ids, references) get their turn.
        record[key] = typeof record[key] === 'number' ? random.pick(NUMBERS) : typeof record[key] === 'string' ? random.pick(options.strings) : record[key];
        break;
      case 4:
        // The same element again, not a clone: a picked value may be nested thousands deep, past structuredClone's stack.
        if (Array.isArray(target) && target.length > 0) target.push(...Array.from({ length: 1 + random.int(3) }, () => random.pick(target)));
        else record[key] = [record[key]];
        break;
      default:
        record[key] = deeplyNested(random, 1 + random.int(50));
    }
  }
  return root.value;
}
