import type { GraphDocument } from '../graph/schema';
import type { GraphAnalysis } from './types';

/**
 * How an encoder–decoder reads its data (d2l §10.6–10.7): two token inputs, the first in document order
 * the source sentence, the second the target shifted right behind `<bos>` (teacher forcing), and one
 * output of [target steps, target vocabulary]. Each token input feeds an Embedding, whose size bounds the
 * vocabulary it can read.
 */
export interface EncoderDecoderShape {
  sourceInput: string;
  decoderInput: string;
  sourceSteps: number;
  targetSteps: number;
  /** Ids the source Embedding can look up. */
  sourceVocabulary: number;
  /** Ids the decoder can both read (its Embedding) and predict (the output's last axis). */
  targetVocabulary: number;
  /** The output's last axis. */
  outputs: number;
}

/** The size of the Embedding a token input feeds directly (its ids become vectors there), or null. */
function embeddingOf(document: GraphDocument, analysis: GraphAnalysis, input: string): number | null {
  for (const edge of document.edges) {
    if (edge.source !== input) continue;
    const node = analysis.nodes.get(edge.target);
    const size = node?.type === 'Embedding' ? node.values?.inputDim : undefined;
    if (typeof size === 'number') return size;
  }
  return null;
}

/** The encoder–decoder's inputs, steps and vocabulary room, or what to change to make the graph one. */
export function encoderDecoderShape(document: GraphDocument, analysis: GraphAnalysis): EncoderDecoderShape | { message: string } {
  const inputs = analysis.inputs;
  const outputs = analysis.outputs;
  const tokenInputs = inputs.filter((id) => analysis.nodes.get(id)?.type === 'TokenInput');
  if (inputs.length !== 2 || tokenInputs.length !== 2) {
    return {
      message: `An encoder–decoder reads two token inputs: the source sentence first, then the target behind <bos> (teacher forcing). This graph has ${inputs.length} input${inputs.length === 1 ? '' : 's'}${tokenInputs.length !== inputs.length ? `, ${tokenInputs.length} of them token inputs` : ''}. Start from the seq2seq template.`,
    };
  }
  if (outputs.length !== 1) return { message: `An encoder–decoder has one output (the target tokens' scores); this graph has ${outputs.length}.` };
  const [sourceInput, decoderInput] = tokenInputs as [string, string];
  const shapeOf = (id: string) => analysis.nodes.get(id)?.outputShapes?.[0] ?? [];
  const sourceSteps = shapeOf(sourceInput)[0] ?? 0;
  const targetSteps = shapeOf(decoderInput)[0] ?? 0;
  const output = shapeOf(outputs[0] as string);
  if (output.length !== 2 || output[0] !== targetSteps) {
    return {
      message: `The decoder predicts a target token at each of its ${targetSteps} steps: the output must be ${targetSteps}×(target vocabulary), but is ${output.join('×') || 'unknown'}. Give the decoder's recurrent layer "return sequences" and end with a Dense layer over the target vocabulary.`,
    };
  }
  const sourceRoom = embeddingOf(document, analysis, sourceInput);
  const targetRoom = embeddingOf(document, analysis, decoderInput);
  const unembedded = [sourceRoom === null ? sourceInput : null, targetRoom === null ? decoderInput : null].filter((id): id is string => id !== null);
  if (unembedded.length > 0) return { message: `Feed ${unembedded.map((id) => `'${analysis.nodes.get(id)?.name ?? id}'`).join(' and ')} into an Embedding: token ids become vectors there.` };
  const outputsCount = output[1] as number;
  return { sourceInput, decoderInput, sourceSteps, targetSteps, sourceVocabulary: sourceRoom as number, targetVocabulary: Math.min(targetRoom as number, outputsCount), outputs: outputsCount };
}
