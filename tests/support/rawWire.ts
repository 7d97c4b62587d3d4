import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * Raw HTTP and WebSocket on a TCP socket, for sending what well-behaved clients (http.request,
 * the `ws` package) refuse to send: broken request lines, bad frames, resets mid-message.
 */

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Resolves once the socket is connected (or rejects when it can't). */
export function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The status of an HTTP response head ('HTTP/1.1 400 Bad Request' → 400), 0 when there is none. */
export function statusOf(head: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
}

/**
 * Writes `bytes` and collects the answer until the server closes the connection.
 * Send `Connection: close` in well-formed requests, or the server keeps it open.
 */
export async function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
  const socket = await openTcp(port);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`The server neither answered nor closed within ${timeoutMs} ms; it got: ${JSON.stringify(String(bytes).slice(0, 200))}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: statusOf(text), text });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('close', done);
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

/** An HTTP/1.1 request as raw text; `Connection: close` unless the headers say otherwise. */
export function rawRequest(requestLine: string, headers: Record<string, string>): string {
  const all = { Connection: 'close', ...headers };
  return `${requestLine}\r\n${Object.entries(all)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}

/** The headers of a WebSocket upgrade request; add Host, Cookie and the like. */
export function upgradeHeaders(extra: Record<string, string>): Record<string, string> {
  return {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...extra,
  };
}

export interface FrameOptions {
  fin?: boolean;
  rsv1?: boolean;
  /** Clients must mask; false sends an unmasked frame, a protocol error. */
  masked?: boolean;
  /** The length the header declares, when it should differ from the payload's (an oversized message). */
  declaredLength?: number;
}

/** One client-to-server frame, built by hand so it can break any rule. */
export function clientFrame(opcode: number, payload: Buffer, options: FrameOptions = {}): Buffer {
  const { fin = true, rsv1 = false, masked = true } = options;
  const length = options.declaredLength ?? payload.length;
  const first = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f);
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, maskBit | length]);
  } else if (length < 65_536) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([header, mask, body]);
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** A hand-driven WebSocket connection: raw frames out, parsed server frames in. */
export class RawWebSocket {
  private buffered: Buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | null = null;

  private constructor(readonly socket: Socket, initial: Buffer) {
    this.buffered = initial;
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.wake?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on('error', () => undefined);
  }

  /** Sends an upgrade request; resolves with the HTTP status, and the connection when it is 101. */
  static async open(port: number, headers: Record<string, string>): Promise<{ status: number; head: string; ws?: RawWebSocket }> {
    const socket = await openTcp(port);
    socket.on('error', () => undefined);
    socket.write(rawRequest('GET /api HTTP/1.1', upgradeHeaders(headers)));
    return new Promise((resolve, reject) => {
      let received: Buffer = Buffer.alloc(0);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('No answer to the upgrade request within 10 s.'));
      }, 10_000);
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('close', onClose);
        const head = received.subarray(0, end).toString('latin1');
        const status = statusOf(head);
        if (status !== 101) socket.destroy();
        resolve({ status, head, ws: status === 101 ? new RawWebSocket(socket, received.subarray(end + 4)) : undefined });
      };
      const onClose = () => {
        clearTimeout(timer);
        resolve({ status: statusOf(received.toString('latin1')), head: received.toString('latin1') });
      };
      socket.on('data', onData);
      socket.once('close', onClose);
    });
  }

  send(frame: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(frame);
  }

  sendText(text: string | Buffer): void {
    this.send(clientFrame(OPCODE.text, typeof text === 'string' ? Buffer.from(text) : text));
  }

  /** The next complete frame from the server; null once the connection is closed without one. */
  async nextFrame(timeoutMs: number): Promise<ServerFrame | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.takeFrame();
      if (frame) return frame;
      if (this.ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No frame from the server within ${timeoutMs} ms.`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Reads frames until the server's close frame: its status code, or 1006 when the connection just ended. */
  async closeCode(timeoutMs = 10_000): Promise<number> {
    for (;;) {
      const frame = await this.nextFrame(timeoutMs);
      if (!frame) return 1006;
      if (frame.opcode === OPCODE.close) return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
    }
  }

  /** Waits until the server has closed the TCP connection (after its close frame). */
  async closed(timeoutMs = 10_000): Promise<void> {
    while ((await this.nextFrame(timeoutMs)) !== null);
  }

  /** Ends the connection with a TCP reset, as a crashed client or a pulled cable would. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  private takeFrame(): ServerFrame | null {
    const data = this.buffered;
    if (data.length < 2) return null;
    let length = (data[1] as number) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (data.length < 4) return null;
      length = data.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (data.length < 10) return null;
      length = Number(data.readBigUInt64BE(2));
      offset = 10;
    }
    if (data.length < offset + length) return null;
    this.buffered = data.subarray(offset + length);
    return { opcode: (data[0] as number) & 0x0f, payload: data.subarray(offset, offset + length) };
  }
}
