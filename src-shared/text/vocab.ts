/**
 * The vocabulary: token ↔ integer id, as d2l's `Vocab`. `<unk>` is always id 0 so that anything unknown
 * (a rare token left out, a character never seen in training) still has an id; reserved tokens such as
 * `<pad>`, `<bos>`, `<eos>` follow in the order given, then the corpus' tokens, most frequent first.
 */

export const UNKNOWN_TOKEN = '<unk>';

export interface VocabOptions {
  /** Tokens seen fewer times than this are left out (read as `<unk>`). d2l's default is 0: keep all. */
  minFreq?: number;
  /** Special tokens given ids right after `<unk>`, in this order, whether or not the text has them. */
  reserved?: readonly string[];
  /** The most ids in all, `<unk>` and the reserved tokens included: the rarest tokens are left out. */
  maxSize?: number;
}

/** What is saved with a trained model: the ids are the positions in `tokens`. */
export interface VocabData {
  tokens: string[];
}

export type TokenFrequency = readonly [token: string, count: number];

export class Vocab {
  /** id → token; `tokens[0]` is `<unk>`. */
  readonly tokens: readonly string[];
  /** Every token seen when the vocabulary was built, with its count, most frequent first (ties: first seen
   * first), those left out included. Empty for a vocabulary rebuilt from saved tokens. */
  readonly frequencies: readonly TokenFrequency[];
  /** How many tokens of the input map to `<unk>` (0 for a rebuilt vocabulary). */
  readonly unknownCount: number;
  private readonly idByToken: ReadonlyMap<string, number>;

  constructor(tokens: readonly string[], frequencies: readonly TokenFrequency[] = [], unknownCount = 0) {
    if (tokens[0] !== UNKNOWN_TOKEN) throw new Error(`A vocabulary starts with '${UNKNOWN_TOKEN}' (id 0).`);
    const idByToken = new Map<string, number>();
    tokens.forEach((token, id) => {
      if (idByToken.has(token)) throw new Error(`The vocabulary lists '${token}' twice.`);
      idByToken.set(token, id);
    });
    this.tokens = [...tokens];
    this.frequencies = frequencies;
    this.unknownCount = unknownCount;
    this.idByToken = idByToken;
  }

  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.idByToken.has(token);
  }

  /** The token's id, 0 (`<unk>`) when the vocabulary does not have it. */
  id(token: string): number {
    return this.idByToken.get(token) ?? 0;
  }

  ids(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    tokens.forEach((token, index) => {
      out[index] = this.id(token);
    });
    return out;
  }

  /** The tokens of `ids` joined by `separator` ('' for characters, ' ' for words). */
  text(ids: ArrayLike<number>, separator = ''): string {
    const parts: string[] = [];
    for (let index = 0; index < ids.length; index += 1) {
      const id = ids[index];
      if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) {
        throw new RangeError(`Token id ${id} is outside the vocabulary (0–${this.tokens.length - 1}).`);
      }
      parts.push(this.tokens[id]);
    }
    return parts.join(separator);
  }

  toJSON(): VocabData {
    return { tokens: [...this.tokens] };
  }
}

/** Counts tokens, most frequent first; ties keep the order of first appearance so the result is deterministic. */
export function countTokens(tokens: readonly string[]): TokenFrequency[] {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  // Map keeps insertion (first appearance) order and Array.prototype.sort is stable.
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/**
 * Builds the vocabulary of a token list.
 *
 * @example
 * const vocab = buildVocab(tokenize('the cat the hat', 'word'), { reserved: ['<pad>'] });
 * vocab.tokens; // ['<unk>', '<pad>', 'the', 'cat', 'hat']
 */
export function buildVocab(tokens: readonly string[], options: VocabOptions = {}): Vocab {
  const { minFreq = 0, reserved = [], maxSize } = options;
  const head = [UNKNOWN_TOKEN];
  for (const token of reserved) if (!head.includes(token)) head.push(token);
  if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < head.length)) {
    throw new RangeError(`maxSize ${maxSize} leaves no room for '${UNKNOWN_TOKEN}' and the ${head.length - 1} reserved tokens.`);
  }
  const frequencies = countTokens(tokens);
  const special = new Set(head);
  const kept = frequencies.filter(([token, count]) => count >= minFreq && !special.has(token)).map(([token]) => token);
  const room = maxSize === undefined ? kept.length : maxSize - head.length;
  const vocab = new Vocab([...head, ...kept.slice(0, room)], frequencies);
  const unknownCount = tokens.reduce((sum, token) => sum + (vocab.id(token) === 0 ? 1 : 0), 0);
  return new Vocab(vocab.tokens, frequencies, unknownCount);
}

/** Rebuilds a saved vocabulary (`vocab.toJSON().tokens`): the same ids, without the counts. */
export function vocabFromTokens(tokens: readonly string[]): Vocab {
  return new Vocab(tokens);
}
