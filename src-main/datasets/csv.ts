/**
 * A CSV table: numeric feature columns and one label column (chosen by header name or index,
 * default the last). The header row is detected: a first row with a non-numeric feature cell is a
 * header. Labels may be numbers or names; their distinct values, sorted, become the classes.
 * A seeded split holds out `testFraction` of the rows; limits then take the first rows of each side.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createRandom } from './random';
import { selectSamples, shuffledIndices } from './pipeline/split';
import { resolveLimit, type Dataset, type DatasetSplit, type LoadLimits } from './types';

export interface CsvOptions extends LoadLimits {
  /** Label column: a header name or a 0-based index; default the last column. */
  label?: string | number;
  /** Share of rows held out for testing (default 0.2). */
  testFraction?: number;
  seed?: number;
  /** Default: whichever of , ; tab splits the first line into the most cells. */
  delimiter?: ',' | ';' | '\t';
}

/** Splits one line into cells; double quotes protect delimiters, "" is a literal quote. */
function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const isNumeric = (cell: string): boolean => cell !== '' && Number.isFinite(Number(cell));

function detectDelimiter(firstLine: string): ',' | ';' | '\t' {
  const candidates = [',', ';', '\t'] as const;
  return candidates.reduce((best, d) => (splitLine(firstLine, d).length > splitLine(firstLine, best).length ? d : best), candidates[0]);
}

/**
 * The most bytes read from one CSV file: the whole text is held, split and parsed in memory, and
 * this stays under V8's longest string (2^29 − 24 characters), so a larger file gets this clear
 * message rather than a cryptic one.
 */
export const MAX_CSV_BYTES = 500 * 1024 * 1024;

const READ_PROBLEMS: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a folder' };

/** Reads and parses a CSV file. Errors name the file by its name only, never the folders above it. */
export async function loadCsv(file: string, options: CsvOptions & { maxBytes?: number } = {}): Promise<Dataset> {
  const name = path.basename(file);
  const maxBytes = options.maxBytes ?? MAX_CSV_BYTES;
  const cannotRead = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new Error(`${name}: cannot read (${READ_PROBLEMS[code] ?? (code || 'unknown error')}).`);
  };
  const handle = await open(file, 'r').catch(cannotRead);
  let text: string;
  try {
    const info = await handle.stat();
    // A device or pipe has no size to check and may never end.
    if (!info.isFile()) throw new Error(`${name}: not a regular file; a CSV dataset is a .csv file.`);
    if (info.size > maxBytes) {
      throw new Error(`${name}: the file is ${mebibytes(info.size)}; Netwright reads CSV files up to ${mebibytes(maxBytes)}. Use a sample of its rows, or an image folder for image data.`);
    }
    text = await handle.readFile('utf8').catch(cannotRead);
  } finally {
    await handle.close();
  }
  return parseCsv(text, name, options);
}

/** 524288000 → '500 MiB' (rounded up, so a file just over the cap never reads as equal to it). */
function mebibytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.ceil(bytes / (1024 * 1024))} MiB`;
  return bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${bytes} bytes`;
}

/**
 * Parses CSV text; `source` names the file in errors. Errors name rows and columns but never quote
 * a cell: the file may not be what the user thought, and its content stays out of messages.
 */
export function parseCsv(text: string, source: string, options: CsvOptions = {}): Dataset {
  const lines = text.split(/\r?\n/).map((line, i) => ({ line, number: i + 1 })).filter(({ line }) => line.trim() !== '');
  if (lines.length === 0) throw new Error(`${source}: the file is empty.`);
  const delimiter = options.delimiter ?? detectDelimiter((lines[0] as { line: string }).line);
  const rows = lines.map(({ line, number }) => ({ cells: splitLine(line, delimiter), number }));
  const width = (rows[0] as { cells: string[] }).cells.length;
  if (width < 2) throw new Error(`${source}: found 1 column; a CSV dataset needs feature columns and a label column.`);

  const first = rows[0] as { cells: string[] };
  const labelColumn = resolveLabelColumn(options.label, first.cells, width, source);
  // A label chosen by name was found in the first row, so that row is the header.
  const hasHeader = typeof options.label === 'string' || first.cells.some((cell, c) => c !== labelColumn && !isNumeric(cell));
  const dataRows = hasHeader ? rows.slice(1) : rows;
  if (dataRows.length < 2) throw new Error(`${source}: ${dataRows.length} data row(s); at least 2 are needed.`);

  const features = width - 1;
  const x = new Float32Array(dataRows.length * features);
  const rawLabels: string[] = [];
  dataRows.forEach(({ cells, number }, r) => {
    if (cells.length !== width) throw new Error(`${source}: row ${number} has ${cells.length} cells, the ${hasHeader ? 'header row' : 'first row'} has ${width}.`);
    let f = 0;
    cells.forEach((cell, c) => {
      if (c === labelColumn) return;
      if (!isNumeric(cell)) {
        throw new Error(`${source}: row ${number}, column ${c + 1}: ${cell === '' ? 'the cell is empty' : 'the cell is not a number'}. Feature columns must hold numbers.`);
      }
      const value = Number(cell);
      // Beyond ±3.4e38 a Float32Array holds Infinity, and training on it ends in NaN weights.
      if (!Number.isFinite(Math.fround(value))) {
        throw new Error(`${source}: row ${number}, column ${c + 1}: the value is beyond float32's range (±3.4e38), so it can't be trained on. Scale the column down (normalize it).`);
      }
      x[r * features + f++] = value;
    });
    rawLabels.push(cells[labelColumn] as string);
  });

  const { classNames, y } = encodeLabels(rawLabels);
  const all: DatasetSplit = { x, y, count: dataRows.length };
  const { train, test } = holdOut(all, options);
  return {
    name: path.basename(source),
    kind: 'tabular',
    inputShape: [features],
    numClasses: classNames.length,
    classNames,
    train,
    test,
  };
}

function resolveLabelColumn(label: string | number | undefined, firstRow: string[], width: number, source: string): number {
  if (label === undefined) return width - 1;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < 0 || label >= width) throw new Error(`${source}: label column ${label} is outside 0–${width - 1}.`);
    return label;
  }
  const index = firstRow.indexOf(label);
  if (index < 0 && firstRow.every(isNumeric)) {
    throw new Error(`${source}: the label column '${label}' is chosen by name, but the file has no header row.`);
  }
  if (index < 0) throw new Error(`${source}: no column named '${label}' in the header row (${width} columns); check the spelling, or give the label column's number.`);
  return index;
}

/** Distinct label values, sorted (numerically when all are numbers), become class ids 0…k−1. */
function encodeLabels(raw: string[]): { classNames: string[]; y: Int32Array } {
  const distinct = [...new Set(raw)];
  if (distinct.every(isNumeric)) distinct.sort((a, b) => Number(a) - Number(b));
  else distinct.sort();
  const ids = new Map(distinct.map((name, i) => [name, i]));
  return { classNames: distinct, y: Int32Array.from(raw, (value) => ids.get(value) as number) };
}

function holdOut(all: DatasetSplit, options: CsvOptions): { train: DatasetSplit; test: DatasetSplit } {
  const fraction = options.testFraction ?? 0.2;
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`testFraction must be in [0, 1), got ${fraction}.`);
  const order = shuffledIndices(all.count, createRandom(options.seed ?? 0));
  const testCount = Math.min(Math.round(fraction * all.count), all.count - 1);
  // Each side keeps file order, so limits take the first rows of the file.
  const testRows = Array.from(order.subarray(0, testCount)).sort((a, b) => a - b);
  const trainRows = Array.from(order.subarray(testCount)).sort((a, b) => a - b);
  const trainTake = resolveLimit(options.limit, trainRows.length, 'CSV train');
  const testTake = resolveLimit(options.testLimit, testRows.length, 'CSV test');
  return { train: selectSamples(all, trainRows.slice(0, trainTake)), test: selectSamples(all, testRows.slice(0, testTake)) };
}
