/** Reads TensorBoard event files back: used by tests and by the runs browser. */
import { readFile } from 'node:fs/promises';
import { decodeEvent, EventDecodeError } from './eventProto';
import type { TensorBoardEvent } from './eventProto';
import { TfRecordCorruptError, scanTfRecords } from './tfrecord';
import type { TfRecordScan } from './tfrecord';

export interface EventFileContents {
  /** Every complete record, decoded, in file order (the file-version event first). */
  events: TensorBoardEvent[];
  /** True when the file ends in part of a record, as when the writer was killed mid-write; that part is left out of `events`. */
  truncatedTail: boolean;
  /** Bytes holding complete records; a reader following a live file can continue from here. */
  completeBytes: number;
}

/** A checksum mismatch or an undecodable event: the file was damaged after it was written. */
export class EventFileCorruptError extends Error {
  constructor(
    readonly filePath: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`Event file ${filePath} is damaged at byte ${offset}: ${detail}`);
    this.name = 'EventFileCorruptError';
  }
}

/**
 * Decodes the events in the bytes of an event file. A truncated final record is not an error (see
 * `truncatedTail`); a record that fails its checksum or does not decode throws {@link EventFileCorruptError}.
 */
export function parseEventFile(bytes: Uint8Array, filePath = '(in memory)'): EventFileContents {
  const scan = scanOrExplain(bytes, filePath);
  const events = scan.records.map(({ offset, data }, index) => {
    try {
      return decodeEvent(data);
    } catch (error) {
      if (error instanceof EventDecodeError) throw new EventFileCorruptError(filePath, offset, `record ${index} is not an Event: ${error.message}`);
      throw error;
    }
  });
  return { events, truncatedTail: scan.truncatedTail, completeBytes: scan.completeBytes };
}

function scanOrExplain(bytes: Uint8Array, filePath: string): TfRecordScan {
  try {
    return scanTfRecords(bytes);
  } catch (error) {
    if (error instanceof TfRecordCorruptError) throw new EventFileCorruptError(filePath, error.offset, `record ${error.recordIndex}'s ${error.detail}.`);
    throw error;
  }
}

/** Reads and decodes a whole event file; see {@link parseEventFile}. */
export async function readEventFile(filePath: string): Promise<EventFileContents> {
  return parseEventFile(await readFile(filePath), filePath);
}
