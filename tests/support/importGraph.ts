/**
 * The import graph of the source folders, read with the TypeScript parser (Svelte components by their
 * <script> blocks), and the cycles in it. Type-only imports count: a cycle of types still ties two
 * modules together, and "state never depends on a view module" is about every kind of dependency.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { topologicalOrder } from '../../src-shared/analysis/order';

const SOURCE = /\.(ts|svelte)$/;
/** What a relative specifier may leave out, in the order the bundler tries it. */
const RESOLVE_SUFFIXES = ['', '.ts', '.svelte.ts', '.svelte', '/index.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The module specifiers a file imports or re-exports, dynamic imports included. */
export function importSpecifiers(fileName: string, text: string): string[] {
  const code = fileName.endsWith('.svelte') ? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text;
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier.replace(/\.js$/, ''));
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every source file under `dirs` (absolute paths) with the source files it imports. */
export function importGraph(root: string, dirs: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of dirs) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const targets = importSpecifiers(file, readFileSync(file, 'utf8')).map((s) => resolve(file, s)).filter((t): t is string => t !== null);
      graph.set(file, [...new Set(targets)]);
    }
  }
  return graph;
}

/**
 * One cycle per strongly connected component of more than one file (or a file that imports itself), as
 * a closed path of files, each importing the next: the analysis' own cycle finder (src-shared/analysis/order.ts).
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const edges = [...graph].flatMap(([source, targets]) => targets.map((target) => ({ source, target })));
  return topologicalOrder([...graph.keys()].sort(), edges).cycles;
}
