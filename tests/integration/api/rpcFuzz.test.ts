import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch, toWireError } from '../../../src-main/api/dispatch';
import { findAppRoot } from '../../../src-main/paths';
import { apiChannels, CHANNEL_NAMES, isChannelName, ServerMessage, type ChannelName } from '../../../src-shared/api';
import { deepJsonText, fuzzSeed, hostileStrings, mutate, Random, randomValue, type ValueOptions } from '../../support/fuzz';
import { clientFrame, OPCODE, RawWebSocket } from '../../support/rawWire';
import { expectStillServing, startServe, type ServedApp } from '../../support/serve';
import { seededWorkspace, snapshotTree, type ValidRequests } from '../../support/validRequests';

/**
 * Fuzzing the API: thousands of random and mutated requests through the real dispatch and
 * handlers (in a temp workspace), then random frames at a real `netwright serve`. Nothing may
 * crash, every answer is a result or a well-formed error, and none takes over a second.
 */

const SEED = fuzzSeed();
const PAYLOADS = 10_000;
const FRAMES = 300;
/** The bound for one request. A slower one is tried once more alone, so a busy machine alone can't fail the test. */
const SLOW_MS = 1000;
/** Past this a request counts as hung, and the test stops waiting for it. */
const HUNG_MS = 10_000;
/**
 * Valid requests of these start long work (a training run, loading all of MNIST, asking a Python
 * interpreter for torch): only invalid ones are sent.
 */
const LONG_WORK = new Set<ChannelName>(['train.start', 'datasets.preview', 'settings.python', 'settings.setPython']);
/** Valid requests of these compile a model (a few hundred ms each): a sample of them is enough. */
const HEAVY = new Set<ChannelName>(['inspect.receptiveField', 'export.model']);
const HEAVY_SAMPLE = 25;
/** Error codes the contract knows (ApiError's); anything else is not a well-formed error. */
const ERROR_CODES = new Set(['invalid-request', 'unknown-channel', 'failed']);
/** JavaScript's own errors: a handler reached code that wasn't meant for the input. */
const INTERNAL_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];
const WEIRD_CHANNELS = ['', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'APP.INFO', 'app.info ', 'app', 'files.', 'fs.delete', 'app.info\u0000', 'x'.repeat(300)];
const mainDir = path.join(findAppRoot(import.meta.dirname), 'dist', 'main');

const isValid = (channel: ChannelName, payload: unknown) => {
  try {
    return apiChannels[channel].request.safeParse(payload).success;
  } catch {
    return false; // zod throws on some hostile values; dispatch answers those as invalid
  }
};
const describePayload = (payload: unknown) => {
  try {
    return (JSON.stringify(payload) ?? String(payload)).slice(0, 300);
  } catch {
    return String(payload).slice(0, 300);
  }
};

interface Case {
  channel: string;
  payload: unknown;
  how: string;
}

function nextCase(random: Random, valid: ValidRequests, options: ValueOptions): Case {
  const channel = random.pick(CHANNEL_NAMES);
  switch (random.int(10)) {
    case 0:
      return { channel: random.pick([...WEIRD_CHANNELS, random.bytes(8).toString('latin1')]), payload: valid[channel], how: 'unknown channel' };
    case 1:
      return { channel, payload: randomValue(random, options), how: 'random payload' };
    case 2:
      return { channel, payload: valid[random.pick(CHANNEL_NAMES)], how: "another channel's payload" };
    case 3:
      return { channel, payload: valid[channel], how: 'valid' };
    default:
      return { channel, payload: mutate(random, valid[channel], options), how: 'mutated' };
  }
}

/** Whether to send it: never a valid long-work request, only a sample of the heavy ones. */
function worthSending(item: Case, heavySent: Map<string, number>): boolean {
  if (!isChannelName(item.channel) || !isValid(item.channel, item.payload)) return true;
  if (LONG_WORK.has(item.channel)) return false;
  if (!HEAVY.has(item.channel)) return true;
  const sent = heavySent.get(item.channel) ?? 0;
  heavySent.set(item.channel, sent + 1);
  return sent < HEAVY_SAMPLE;
}

type Outcome = { kind: 'result' } | { kind: 'error'; error: unknown } | { kind: 'hung' };

async function timed(run: () => Promise<unknown>): Promise<{ outcome: Outcome; ms: number }> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ kind: 'hung' }), HUNG_MS)));
  const outcome = await Promise.race([
    run().then(
      (): Outcome => ({ kind: 'result' }),
      (error: unknown): Outcome => ({ kind: 'error', error }),
    ),
    hung,
  ]);
  clearTimeout(timer);
  return { outcome, ms: performance.now() - start };
}

/** What is wrong with an outcome, or null when it is a result or a well-formed error. */
function problemWith(outcome: Outcome): string | null {
  if (outcome.kind === 'hung') return `no answer within ${HUNG_MS} ms`;
  if (outcome.kind === 'result') return null;
  if (INTERNAL_ERRORS.some((type) => outcome.error instanceof type)) return `internal ${String(outcome.error)}`;
  const wire = toWireError(outcome.error);
  if (typeof wire.message !== 'string' || wire.message.length < 10) return `error without a message: ${JSON.stringify(wire)}`;
  if (!ERROR_CODES.has(wire.code)) return `error with an unknown code: ${JSON.stringify(wire)}`;
  return null;
}

describe(`RPC fuzz (seed ${SEED}; NETWRIGHT_FUZZ_SEED=${SEED} replays it)`, () => {
  it(`answers ${PAYLOADS} random and mutated requests through the real dispatch, each well-formed and within ${SLOW_MS} ms`, async () => {
    const workspace = await seededWorkspace(mainDir);
    const outsideBefore = snapshotTree(workspace.outside);
    const random = new Random(SEED);
    const options: ValueOptions = { strings: hostileStrings(workspace.outside), nonJson: true };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // The first app.info probes every training backend once per process (seconds); that is start-up, not a request.
    await dispatch(workspace.handlers, 'app.info', {});

    const failures: string[] = [];
    const heavySent = new Map<string, number>();
    const counts: Record<string, number> = {};
    let sent = 0;
    try {
      while (sent < PAYLOADS && failures.length < 20) {
        const item = nextCase(random, workspace.valid, options);
        if (!worthSending(item, heavySent)) continue;
        sent++;
        counts[item.how] = (counts[item.how] ?? 0) + 1;
        const send = () => dispatch(workspace.handlers, item.channel, item.payload);
        let { outcome, ms } = await timed(send);
        if (ms > SLOW_MS && outcome.kind !== 'hung') ({ outcome, ms } = await timed(send));
        const problem = problemWith(outcome) ?? (ms > SLOW_MS ? `took ${Math.round(ms)} ms twice` : null);
        if (problem) failures.push(`#${sent} ${item.how} '${item.channel.slice(0, 40)}': ${problem}; payload ${describePayload(item.payload)}`);
      }
    } finally {
      process.off('unhandledRejection', onUnhandled);
      // No valid train.start is sent; should one slip through, it must not train on after the test.
      await workspace.context.training().stopAll();
    }

    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(unhandled.map(String), `seed ${SEED}`).toEqual([]);
    expect(sent).toBe(PAYLOADS);
    // Every kind of case was sent, valid requests included.
    expect(Object.keys(counts).sort()).toEqual(['another channel\'s payload', 'mutated', 'random payload', 'unknown channel', 'valid']);
    // Nothing outside the workspace was written, moved or deleted, and no run was started.
    expect(snapshotTree(workspace.outside)).toEqual(outsideBefore);
    const runs = [...(await workspace.context.runs.list()), ...(await workspace.context.runs.listTrash())];
    expect(runs.map((r) => r.id)).toEqual([workspace.valid['runs.get'].id]);
  }, 240_000);
});

describe('raw frame fuzz against a real server', () => {
  let served: ServedApp | undefined;

  afterAll(async () => {
    await served?.app.stop();
  });

  it(`survives ${FRAMES} random frames, answering each complete message or closing that connection`, async () => {
    served = await startServe();
    const random = new Random(SEED);
    const valid = (await seededWorkspace(mainDir)).valid;
    const options: ValueOptions = { strings: hostileStrings('/tmp/netwright-outside'), nonJson: false };
    const server = served;
    const connect = async (): Promise<RawWebSocket> => {
      const opened = await RawWebSocket.open(server.port, { Host: server.host, Cookie: server.cookie }).catch((error: unknown) => ({ status: String(error), ws: undefined }));
      if (!opened.ws) throw new Error(`No new WebSocket (${opened.status}); the server is ${server.app.running() ? 'running' : 'gone'}. Seed ${SEED}. Output:\n${server.app.output()}`);
      return opened.ws;
    };
    const envelope = (): string => {
      const channel = random.chance(0.8) ? random.pick(CHANNEL_NAMES) : random.pick(WEIRD_CHANNELS);
      const base = isChannelName(channel) ? valid[channel] : {};
      const payload = random.chance(0.7) ? mutate(random, base, options) : base;
      // A valid long-work request would start training on the server under test.
      const safe = isChannelName(channel) && (LONG_WORK.has(channel) || HEAVY.has(channel)) && isValid(channel, payload) ? { broken: true } : payload;
      const id = random.pick([1, 0, -1, 1.5, 2 ** 53 + 2, '7', null]);
      return JSON.stringify({ kind: random.pick(['request', 'request', 'response', 'event', 'REQUEST', 7]), id, channel, payload: safe });
    };
    const frames: (() => { frame: Buffer; complete: boolean })[] = [
      () => ({ frame: clientFrame(OPCODE.text, random.bytes(random.int(64))), complete: true }),
      () => ({ frame: clientFrame(OPCODE.binary, random.bytes(random.int(64))), complete: true }),
      () => {
        const text = envelope();
        return { frame: clientFrame(OPCODE.text, Buffer.from(text.slice(0, random.int(text.length)))), complete: true };
      },
      () => ({ frame: clientFrame(OPCODE.text, Buffer.from(envelope())), complete: true }),
      () => ({ frame: clientFrame(OPCODE.text, Buffer.from(JSON.stringify(randomValue(random, options)) ?? 'undefined')), complete: true }),
      () => ({ frame: clientFrame(OPCODE.text, Buffer.from(`{"kind":"request","id":1,"channel":"app.info","payload":${deepJsonText(100_000 + random.int(100_000))}}`)), complete: true }),
      // Bytes that are no frame at all: the server may wait for the rest or close.
      () => ({ frame: random.bytes(1 + random.int(32)), complete: false }),
    ];

    let ws = await connect();
    const problems: string[] = [];
    for (let i = 0; i < FRAMES && problems.length < 10; i++) {
      const { frame, complete } = random.pick(frames)();
      ws.send(frame);
      let reply = await ws.nextFrame(complete ? SLOW_MS : 200).catch(() => undefined);
      if (reply === undefined && complete) reply = await ws.nextFrame(HUNG_MS).catch(() => undefined);
      if (reply === undefined && complete) problems.push(`frame #${i}: no reply and no close within ${HUNG_MS} ms: ${frame.subarray(0, 80).toString('hex')}`);
      if (reply && reply.opcode === OPCODE.text) {
        const message = ServerMessage.safeParse(JSON.parse(reply.payload.toString('utf8')));
        if (!message.success || message.data.kind !== 'response') problems.push(`frame #${i}: malformed reply ${reply.payload.toString('utf8').slice(0, 200)}`);
      }
      // After bytes that were no frame the stream is out of step: start over on a new connection.
      if (!complete || !reply || reply.opcode !== OPCODE.text) {
        ws.reset();
        ws = await connect();
      }
    }
    ws.reset();
    expect(problems, `seed ${SEED}`).toEqual([]);
    await expectStillServing(served);
  }, 120_000);
});
