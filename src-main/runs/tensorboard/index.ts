/** TensorBoard event files: write training scalars so a run folder opens in TensorBoard, and read them back. */
export { EventFileWriter, eventFileName } from './eventWriter';
export type { EventFileWriterOptions } from './eventWriter';
export { EventFileCorruptError, parseEventFile, readEventFile } from './eventReader';
export type { EventFileContents } from './eventReader';
export { EVENT_FILE_VERSION, EventDecodeError, decodeEvent, encodeEvent } from './eventProto';
export type { ScalarValue, TensorBoardEvent } from './eventProto';
