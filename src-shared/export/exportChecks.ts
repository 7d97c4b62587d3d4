import { analyze } from '../analysis/analyze';
import { analysedModel, type AnalysedModel, type ModelLayer } from '../analysis/model';
import type { GraphDocument } from '../graph/schema';
import { layerPorts } from '../layers/types';

/** Why a document cannot be exported to a target; the message lists every reason. Each target has its subclass. */
export class GraphExportError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'GraphExportError';
  }
}

/** A target's own error class (PyTorchExportError, OnnxExportError...), made from a message and its reasons. */
export type ExportErrorClass = new (message: string, problems: readonly string[]) => Error;

/** "Title:\n  - first\n  - second": every reason, one per line. */
export function listProblems(title: string, problems: readonly string[]): string {
  return `${title}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

/** The document's analysed model; every exporter refuses a graph with errors the same way. */
export function analyseForExport(document: GraphDocument, Failure: ExportErrorClass): AnalysedModel {
  const analysis = analyze(document);
  if (!analysis.ok) {
    const problems = analysis.errors.map((e) => e.message);
    throw new Failure(listProblems("The graph can't be exported until its errors are fixed", problems), problems);
  }
  return analysedModel(analysis);
}

/**
 * After an exporter's walk: adds the graph-level problems (no input, nothing after the inputs; the
 * latter only when no layer failed, which would explain it) and throws when there are any.
 */
export function refuseProblems(target: string, problems: string[], ends: { inputs: number; outputs: number }, Failure: ExportErrorClass): void {
  if (ends.inputs === 0) problems.push('The graph has no input layer.');
  if (ends.outputs === 0 && problems.length === 0) problems.push('The graph has no layer after its inputs.');
  if (problems.length > 0) throw new Failure(listProblems(`The graph can't be exported to ${target}`, problems), problems);
}

/**
 * A name per output port of the layer, for the variables exported code gives them (`<layer>_<name>` for
 * ports 1…): its declared port names (a recurrent layer's 'output', 'h', 'c'), else the port numbers.
 */
export function outputPortNames(layer: Pick<ModelLayer, 'def' | 'params' | 'outputs'>): string[] {
  const names = layerPorts(layer.def, layer.params).outputNames ?? [];
  return layer.outputs.map((_, port) => names[port] ?? String(port));
}
