import { describe, expect, it } from 'vitest';
import { loadCsv, MAX_CSV_BYTES, parseCsv } from '../../../src-main/datasets/csv';
import { tempFolder } from './idxFixtures';

const iris = [
  'sepal_length,sepal_width,species',
  '5.1,3.5,setosa',
  '7.0,3.2,versicolor',
  '6.3,3.3,virginica',
  '4.9,3.0,setosa',
  '',
  '6.4,3.2,versicolor',
].join('\n');

describe('parseCsv', () => {
  it('detects the header, takes the last column as label and sorts class names', () => {
    const dataset = parseCsv(iris, 'iris.csv', { testFraction: 0 });
    expect(dataset.kind).toBe('tabular');
    expect(dataset.inputShape).toEqual([2]);
    expect(dataset.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(dataset.train.count).toBe(5);
    expect(Array.from(dataset.train.y)).toEqual([0, 1, 2, 0, 1]);
    expect(Array.from(dataset.train.x.subarray(0, 4))).toEqual([5.1, 3.5, 7, 3.2].map(Math.fround));
  });

  it.each([
    { name: 'by name', label: 'b' as string | number, classes: ['2', '5', '8'], firstRow: [1, 3] },
    { name: 'by index', label: 0, classes: ['1', '4', '7'], firstRow: [2, 3] },
  ])('label column chosen $name', ({ label, classes, firstRow }) => {
    const text = 'a,b,c\n1,2,3\n4,5,6\n7,8,9';
    const dataset = parseCsv(text, 't.csv', { label, testFraction: 0 });
    expect(dataset.inputShape).toEqual([2]);
    expect(dataset.classNames).toEqual(classes);
    expect(Array.from(dataset.train.x.subarray(0, 2))).toEqual(firstRow);
  });

  it('a header of numbers is recognised when the label is chosen by name', () => {
    const dataset = parseCsv('1,2,3\n4,5,6\n7,8,9', 'h.csv', { label: '3', testFraction: 0 });
    expect(dataset.train.count).toBe(2);
  });

  it('no header, numeric labels sorted numerically, semicolons and quotes', () => {
    const dataset = parseCsv('1;"2";10\n3;4;2\n5;6;10\n7;8;9', 'n.csv', { testFraction: 0 });
    expect(dataset.classNames).toEqual(['2', '9', '10']);
    expect(Array.from(dataset.train.y)).toEqual([2, 0, 2, 1]);
    expect(Array.from(dataset.train.x.subarray(0, 2))).toEqual([1, 2]);
    // A quoted cell keeps its delimiter and doubled quotes: 3 columns here, not 4.
    const quoted = parseCsv('x,"y, z",label\n1,2,"a ""b"""\n3,4,c', 'q.csv', { testFraction: 0 });
    expect(quoted.inputShape).toEqual([2]);
    expect(quoted.classNames).toEqual(['a "b"', 'c']);
  });

  it('a seeded test split keeps file order; limits take the first rows of each side', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${i % 2}`).join('\n');
    const a = parseCsv(`x,y\n${rows}`, 'r.csv', { testFraction: 0.2, seed: 7 });
    expect([a.train.count, a.test.count]).toEqual([40, 10]);
    const order = Array.from(a.test.x);
    expect(order).toEqual([...order].sort((p, q) => p - q));
    expect(parseCsv(`x,y\n${rows}`, 'r.csv', { testFraction: 0.2, seed: 7 }).test.x).toEqual(a.test.x);
    const limited = parseCsv(`x,y\n${rows}`, 'r.csv', { testFraction: 0.2, seed: 7, limit: 5, testLimit: 2 });
    expect(Array.from(limited.train.x)).toEqual(Array.from(a.train.x.subarray(0, 5)));
    expect(limited.test.count).toBe(2);
  });

  it.each([
    { name: 'a non-numeric cell', text: 'a,b,label\n1,2,x\n3,oops,y', message: 'bad.csv: row 3, column 2: the cell is not a number.' },
    { name: 'an empty cell', text: 'a,b,label\n1,2,x\n3,,y', message: 'bad.csv: row 3, column 2: the cell is empty.' },
    { name: 'a ragged row', text: 'a,b,label\n1,2,x\n3,4', message: 'bad.csv: row 3 has 2 cells, the header row has 3.' },
    { name: 'an unknown label name', text: 'a,b\n1,2\n3,4', options: { label: 'c' }, message: "bad.csv: no column named 'c' in the header row (2 columns)" },
    { name: 'a label name without header', text: '1,2\n3,4', options: { label: 'b' }, message: "bad.csv: the label column 'b' is chosen by name, but the file has no header row." },
    { name: 'a single column', text: 'a\n1\n2', message: 'bad.csv: found 1 column' },
    { name: 'an empty file', text: '\n\n', message: 'bad.csv: the file is empty.' },
    { name: 'a label index out of range', text: '1,2\n3,4', options: { label: 5 }, message: 'bad.csv: label column 5 is outside 0–1.' },
    // Finite as a double, Infinity as a float32: named by row, column and header, the value not echoed.
    { name: 'a value beyond float32', text: 'a,b,label\n1,2,x\n3,-3.5e38,y', message: "bad.csv: row 3, column 2: the value is beyond float32's range (±3.4e38), so it can't be trained on. Scale the column down (normalize it)." },
    { name: 'a value just beyond float32', text: 'a,b,label\n3.4028236e38,2,x\n3,4,y', message: "bad.csv: row 2, column 1: the value is beyond float32's range" },
  ])('refuses $name', ({ text, options, message }) => {
    expect(() => parseCsv(text, 'bad.csv', options)).toThrow(message);
  });

  it.each([
    { name: 'a bad feature cell', text: 'a,b,label\n1,2,x\n3,password=hunter2,y', options: {}, message: 'bad.csv: row 3, column 2: the cell is not a number.' },
    { name: 'a header cell, with an unknown label', text: 'password=hunter2,b,label\n1,2,x\n3,4,y', options: { label: 'nope' }, message: "bad.csv: no column named 'nope'" },
    { name: 'a first line that is not a header', text: 'password=hunter2\n1,2\n3,4', options: {}, message: 'bad.csv: found 1 column' },
  ])('names rows and columns but never quotes the file: $name', ({ text, options, message }) => {
    expect(() => parseCsv(text, 'bad.csv', options)).toThrow(message);
    expect(() => parseCsv(text, 'bad.csv', options)).not.toThrow('hunter2');
  });

  it('refuses a file larger than the cap, naming the cap, and anything not a regular file', async () => {
    const folder = tempFolder('csv-cap');
    try {
      const file = folder.write('big.csv', `a,label\n${'1,x\n'.repeat(400)}`);
      await expect(loadCsv(file, { maxBytes: 1024 })).rejects.toThrow('big.csv: the file is 2 KiB; Netwright reads CSV files up to 1 KiB.');
      expect((await loadCsv(file, { maxBytes: 4096 })).train.count).toBeGreaterThan(300);
      expect(MAX_CSV_BYTES).toBe(500 * 1024 * 1024);
      if (process.platform !== 'win32') await expect(loadCsv('/dev/null')).rejects.toThrow('null: not a regular file');
    } finally {
      folder.cleanup();
    }
  });

  it('accepts values near float32\'s limit (training then watches for divergence)', () => {
    const dataset = parseCsv('a,label\n3.4028234e38,x\n-1e38,y', 'big.csv', { testFraction: 0 });
    expect(Array.from(dataset.train.x).every(Number.isFinite)).toBe(true);
  });

  it('loadCsv reads a file and names it when missing', async () => {
    const folder = tempFolder('csv');
    try {
      const dataset = await loadCsv(folder.write('iris.csv', iris), { testFraction: 0.2 });
      expect(dataset.name).toBe('iris.csv');
      expect(dataset.train.count + dataset.test.count).toBe(5);
      await expect(loadCsv(`${folder.dir}/none.csv`)).rejects.toThrow('none.csv: cannot read (no such file).');
      await expect(loadCsv(`${folder.dir}/none.csv`)).rejects.not.toThrow(folder.dir);
    } finally {
      folder.cleanup();
    }
  });
});
