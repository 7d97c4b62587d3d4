import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { layerDefs } from '../../../src-shared/layers/registry';
import { TFJS_BIDIRECTIONAL, TFJS_INPUT } from '../../../src-shared/layers/tfjsSpec';

/**
 * Everything about a layer lives in its declaration (src-shared/layers): the compiler and the
 * exporters hold no per-type tables. A layer type or tfjs class name written out there (a table key,
 * a string compared or listed) is such knowledge. ONNX operator names that happen to equal a layer's
 * ('Add', 'Reshape') are not: an op type handed to the ONNX graph builder is allowed.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const FOLDERS = ['src-shared/export', 'src-main/compiler'];

const names = new Set<string>([
  TFJS_INPUT,
  TFJS_BIDIRECTIONAL,
  ...layerDefs.flatMap((def) => [def.type, ...(def.kind === 'layer' ? def.tfjsClasses.map((c) => c.className) : [])]),
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** `single(c, 'Add', …)`, `one(c, 'Mul', …)`, `graph.op('Reshape', …)`: an ONNX op type. */
function isOnnxOpType(literal: ts.Node): boolean {
  const call = literal.parent;
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = call.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  const position = call.arguments.indexOf(literal as ts.Expression);
  return (name === 'op' && position === 0) || ((name === 'one' || name === 'single') && position === 1);
}

const isKey = (literal: ts.Node) => ts.isPropertyAssignment(literal.parent) && literal.parent.name === literal;

/** Each layer name the file writes as a string or a property key, with its line. */
function layerNamesIn(fileName: string, text: string, known: ReadonlySet<string>): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, name: string) => found.push(`${name} (line ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1})`);
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && known.has(node.text) && !isOnnxOpType(node) && !isKey(node)) {
      report(node, node.text);
    }
    if ((ts.isPropertyAssignment(node) || ts.isPropertySignature(node)) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && known.has(node.name.text)) {
      report(node, node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no per-type knowledge outside the layer declarations', () => {
  it.each(FOLDERS)('%s names no layer type or tfjs class', (folder) => {
    const files = sourceFiles(path.join(root, folder));
    expect(files.length).toBeGreaterThan(5);
    const offending = files.flatMap((file) => layerNamesIn(file, readFileSync(file, 'utf8'), names).map((hit) => `${path.relative(root, file)}: ${hit}`));
    expect(offending).toEqual([]);
  });

  it('finds table keys, compared and listed names, but not ONNX op types or comments', () => {
    const code = [
      "const FACTORIES = { Dense: 'dense', 'Conv2D': 'conv2d' };",
      "if (spec.className === 'GRU') return;",
      "const RECURRENT = new Set(['LSTM']);",
      "single(c, 'Add', [a, b]); graph.op('Reshape', [x]);",
      '// Conv2D in a comment, and the word Dense in `a Dense layer`',
    ].join('\n');
    expect(layerNamesIn('x.ts', code, new Set(['Dense', 'Conv2D', 'GRU', 'LSTM', 'Add', 'Reshape']))).toEqual([
      'Dense (line 1)',
      'Conv2D (line 1)',
      'GRU (line 2)',
      'LSTM (line 3)',
    ]);
  });
});
