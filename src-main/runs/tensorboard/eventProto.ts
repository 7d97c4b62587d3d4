/**
 * The subset of TensorFlow's `Event` message (tensorflow/core/util/event.proto) and `Summary` message
 * (tensorflow/core/framework/summary.proto) that scalar logging needs:
 *
 *   Event   { double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; Summary summary = 5; ... } }
 *   Summary { repeated Value value = 1; }
 *   Value   { string tag = 1; oneof value { float simple_value = 2; ... } }
 *
 * Encoding follows proto3: fields holding their default (0, empty) are left out, except members of a
 * oneof, which are always written. Fields are written in field-number order, as TensorFlow does.
 */
import { ProtoReader, ProtoWriter, WireType } from './protobuf';

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

const EventField = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 } as const;
const SummaryField = { value: 1 } as const;
const ValueField = { tag: 1, simpleValue: 2 } as const;

/** Serializes one event as TensorFlow would. */
export function encodeEvent(event: TensorBoardEvent): Uint8Array {
  const writer = new ProtoWriter();
  if (event.wallTime !== 0) writer.double(EventField.wallTime, event.wallTime);
  if (event.step !== 0) writer.uint64(EventField.step, event.step);
  if (event.fileVersion !== undefined) writer.string(EventField.fileVersion, event.fileVersion);
  if (event.scalars.length > 0) writer.bytes(EventField.summary, encodeSummary(event.scalars));
  return writer.finish();
}

function encodeSummary(scalars: ScalarValue[]): Uint8Array {
  const summary = new ProtoWriter();
  for (const { tag, value } of scalars) {
    const encoded = new ProtoWriter();
    if (tag !== '') encoded.string(ValueField.tag, tag);
    encoded.float(ValueField.simpleValue, value);
    summary.bytes(SummaryField.value, encoded.finish());
  }
  return summary.finish();
}

/**
 * Parses one event. Fields outside the subset above (graphs, log messages, tensor summaries) are skipped,
 * as is a known field number arriving with an unexpected wire type, just as protobuf treats unknown fields.
 */
export function decodeEvent(bytes: Uint8Array): TensorBoardEvent {
  const event: TensorBoardEvent = { wallTime: 0, step: 0, scalars: [] };
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.key();
    if (field === EventField.wallTime && wireType === WireType.fixed64) event.wallTime = reader.double();
    else if (field === EventField.step && wireType === WireType.varint) event.step = reader.int64();
    else if (field === EventField.fileVersion && wireType === WireType.lengthDelimited) event.fileVersion = reader.string();
    // A message field seen twice is merged, so the repeated values of both occurrences concatenate.
    else if (field === EventField.summary && wireType === WireType.lengthDelimited) event.scalars.push(...decodeSummary(reader.bytesField()));
    else reader.skip(wireType);
  }
  return event;
}

function decodeSummary(bytes: Uint8Array): ScalarValue[] {
  const scalars: ScalarValue[] = [];
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.key();
    if (field !== SummaryField.value || wireType !== WireType.lengthDelimited) {
      reader.skip(wireType);
      continue;
    }
    const scalar = decodeScalarValue(reader.bytesField());
    if (scalar) scalars.push(scalar);
  }
  return scalars;
}

/** The value as a scalar, or undefined when it holds another kind of summary. */
function decodeScalarValue(bytes: Uint8Array): ScalarValue | undefined {
  let tag = '';
  let value: number | undefined;
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.key();
    if (field === ValueField.tag && wireType === WireType.lengthDelimited) tag = reader.string();
    else if (field === ValueField.simpleValue && wireType === WireType.fixed32) value = reader.float();
    else reader.skip(wireType);
  }
  return value === undefined ? undefined : { tag, value };
}
