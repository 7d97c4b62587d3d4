import type { NodeAnalysis } from '../../src-shared/analysis/types';
import { getLayerDef } from '../../src-shared/layers/registry';
import { resolveParams } from '../../src-shared/layers/params';
import type { RawParams } from '../../src-shared/layers/params';

export interface AxisFormula {
  axis: string;
  /** "floor((28 − 5 + 2·2)/1) + 1 = 28" */
  text: string;
}

const AXIS_NAMES: Record<number, string[]> = { 1: ['length'], 2: ['height', 'width'] };

/**
 * The output-size formula of a convolution or pooling node with the user's numbers, one line per
 * spatial axis, in the course's notation: out = floor((W − F + 2P)/S) + 1 with the padding
 * TensorFlow actually adds ('same' may pad one more after than before).
 */
export function outputSizeFormulas(type: string, rawParams: RawParams, analysis: NodeAnalysis | undefined): AxisFormula[] {
  const def = getLayerDef(type);
  const input = analysis?.inputShapes?.[0];
  const output = analysis?.outputShapes?.[0];
  if (!def || def.kind !== 'layer' || !def.receptiveField || !input) return [];
  const resolved = resolveParams(def.params, rawParams);
  if (!resolved.ok) return [];
  const steps = def.receptiveField([input], resolved.values);
  if (steps === 'none') return [];
  const names = AXIS_NAMES[steps.length] ?? steps.map((_, i) => `axis ${i + 1}`);
  return steps.map((step, i) => {
    const w = input[i] ?? 0;
    const out = output?.[i];
    const f = (step.kernel - 1) * step.dilation + 1;
    const fText = step.dilation > 1 ? `${f} (kernel ${step.kernel} dilated by ${step.dilation})` : String(f);
    if (step.transposed) {
      return { axis: names[i] ?? `axis ${i + 1}`, text: `W·S + max(F − S, 0) = ${w}·${step.stride} + max(${f} − ${step.stride}, 0)${out !== undefined ? ` → ${out}` : ''}` };
    }
    const after = out !== undefined ? Math.max((out - 1) * step.stride + f - w - step.padBefore, 0) : step.padBefore;
    const padding = after === step.padBefore ? `2·${step.padBefore}` : `${step.padBefore} + ${after}`;
    const value = Math.floor((w - f + step.padBefore + after) / step.stride) + 1;
    return { axis: names[i] ?? `axis ${i + 1}`, text: `floor((${w} − ${fText} + ${padding})/${step.stride}) + 1 = ${value}` };
  });
}
