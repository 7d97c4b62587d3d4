/**
 * TensorBoard events encoded and decoded by protobufjs with TensorBoard's own schema (eventSchema.ts):
 * an Event holds a wall time, a step and either the file version or a Summary of scalar values.
 *
 * Encoding follows proto3 as TensorFlow's writer does: fields holding their default (0, empty) are
 * left out, except members of a oneof, which are always written; fields go in field-number order.
 */
import protobuf from 'protobufjs';
import { TENSORBOARD_EVENT_PROTO } from './eventSchema';

/** The `file_version` of the first event in every file; TensorBoard checks it to pick the reader. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

export interface ScalarValue {
  tag: string;
  /** A float32 on disk: reading back gives `Math.fround` of the value written. */
  value: number;
}

export interface TensorBoardEvent {
  /** Seconds since the Unix epoch, with a fraction. */
  wallTime: number;
  /** Training step; 0 when the event has none (the file-version event). */
  step: number;
  /** Set only on the file-version event. */
  fileVersion?: string;
  /** Scalar summary values; other value kinds (images, histograms, tensors) are not decoded. */
  scalars: ScalarValue[];
}

/** Bytes that are not an Event: protobufjs' reason, for the event file reader to place in the file. */
export class EventDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventDecodeError';
  }
}

/** The schema's Event as protobufjs reads and writes it (keepCase: TensorBoard's field names). */
interface EventMessage {
  wall_time?: number;
  step?: number;
  file_version?: string;
  summary?: { value?: { tag?: string; simple_value?: number }[] };
}

let eventType: protobuf.Type | null = null;
function eventProto(): protobuf.Type {
  eventType ??= protobuf.parse(TENSORBOARD_EVENT_PROTO, { keepCase: true }).root.lookupType('tensorboard.Event');
  return eventType;
}

/** Serializes one event as TensorFlow would. */
export function encodeEvent(event: TensorBoardEvent): Uint8Array {
  if (!Number.isSafeInteger(event.step) || event.step < 0) throw new RangeError(`Event step ${event.step} is not a non-negative safe integer.`);
  // protobufjs writes every field that is set, defaults included: set only what proto3 writes.
  const message: EventMessage = {};
  if (event.wallTime !== 0) message.wall_time = event.wallTime;
  if (event.step !== 0) message.step = event.step;
  if (event.fileVersion !== undefined) message.file_version = event.fileVersion;
  if (event.scalars.length > 0) message.summary = { value: event.scalars.map(({ tag, value }) => (tag === '' ? { simple_value: value } : { tag, simple_value: value })) };
  return eventProto().encode(message).finish();
}

/**
 * Parses one event. Fields outside the schema's subset (graphs, log messages, tensor summaries) are
 * skipped as protobuf skips unknown fields; values that are not simple scalars are left out.
 */
export function decodeEvent(bytes: Uint8Array): TensorBoardEvent {
  let message: EventMessage;
  try {
    const type = eventProto();
    message = type.toObject(type.decode(bytes), { longs: Number }) as EventMessage;
  } catch (error) {
    throw new EventDecodeError(error instanceof Error ? error.message : String(error));
  }
  const scalars = (message.summary?.value ?? []).flatMap(({ tag, simple_value }) => (simple_value === undefined ? [] : [{ tag: tag ?? '', value: simple_value }]));
  return {
    wallTime: message.wall_time ?? 0,
    step: message.step ?? 0,
    ...(message.file_version !== undefined ? { fileVersion: message.file_version } : {}),
    scalars,
  };
}
