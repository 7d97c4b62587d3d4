/**
 * A minimal pickle (protocol 2) writer: the opcodes torch.save's data.pkl uses, emitted as the
 * caller walks its object. No memo: every object is written where it occurs.
 *
 * @example
 * const p = new PickleWriter();
 * p.global('collections', 'OrderedDict'); p.emptyTuple(); p.reduce(); // OrderedDict()
 * p.stop();
 * p.bytes(); // b'\x80\x02ccollections\nOrderedDict\n)R.'
 */
export class PickleWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly encoder = new TextEncoder();

  constructor() {
    this.op(0x80, 2); // PROTO 2
  }

  private op(...codes: number[]): void {
    this.chunks.push(Uint8Array.from(codes));
  }

  private ascii(text: string): void {
    this.chunks.push(this.encoder.encode(text));
  }

  /** GLOBAL: pushes `module.name` (a class or function the reader imports). */
  global(module: string, name: string): void {
    if (/[\n\s]/.test(module + name)) throw new Error(`pickle: invalid global ${module}.${name}`);
    this.ascii(`c${module}\n${name}\n`);
  }

  /** BINUNICODE. */
  string(value: string): void {
    const utf8 = this.encoder.encode(value);
    const header = new Uint8Array(5);
    header[0] = 0x58; // 'X'
    new DataView(header.buffer).setUint32(1, utf8.length, true);
    this.chunks.push(header, utf8);
  }

  /** BININT for 32-bit values, else LONG1 (little-endian two's complement). */
  int(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`pickle: ${value} is not a safe integer`);
    if (value >= -(2 ** 31) && value < 2 ** 31) {
      const out = new Uint8Array(5);
      out[0] = 0x4a; // 'J'
      new DataView(out.buffer).setInt32(1, value, true);
      this.chunks.push(out);
      return;
    }
    let big = BigInt(value);
    const bytes: number[] = [];
    // Enough bytes that the top bit carries the sign.
    do {
      bytes.push(Number(big & 0xffn));
      big >>= 8n;
    } while (!((big === 0n && ((bytes[bytes.length - 1] as number) & 0x80) === 0) || (big === -1n && ((bytes[bytes.length - 1] as number) & 0x80) !== 0)));
    this.op(0x8a, bytes.length, ...bytes); // LONG1
  }

  bool(value: boolean): void {
    this.op(value ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
  }

  /** A tuple of ints: EMPTY_TUPLE, or MARK ints TUPLE. */
  intTuple(values: readonly number[]): void {
    if (values.length === 0) return this.emptyTuple();
    this.mark();
    for (const v of values) this.int(v);
    this.tuple();
  }

  emptyTuple(): void {
    this.op(0x29); // ')'
  }

  mark(): void {
    this.op(0x28); // '('
  }

  /** TUPLE: the items since the last mark. */
  tuple(): void {
    this.op(0x74); // 't'
  }

  /** REDUCE: calls the callable below the argument tuple on top. */
  reduce(): void {
    this.op(0x52); // 'R'
  }

  /** BINPERSID: the object on top is a persistent id the reader resolves (torch: a storage). */
  persistentId(): void {
    this.op(0x51); // 'Q'
  }

  /** SETITEMS: key/value pairs since the last mark go into the mapping below the mark. */
  setItems(): void {
    this.op(0x75); // 'u'
  }

  stop(): void {
    this.op(0x2e); // '.'
  }

  bytes(): Uint8Array {
    const total = this.chunks.reduce((sum, c) => sum + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
