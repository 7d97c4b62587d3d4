import { effectiveKernel } from '../../src-shared/analysis/convMath';
import type { NodeAnalysis } from '../../src-shared/analysis/types';

export interface AxisFormula {
  axis: string;
  /** "floor((28 − 5 + 2·2)/1) + 1 = 28" */
  text: string;
}

const AXIS_NAMES: Record<number, string[]> = { 1: ['length'], 2: ['height', 'width'] };

/**
 * The output-size formula of a convolution or pooling node with the user's numbers, one line per
 * spatial axis, in the course's notation: out = floor((W − F + 2P)/S) + 1 with the padding
 * TensorFlow actually adds ('same' may pad one more after than before). Every number comes from the
 * node's analysis (its window, input and output shapes); nothing is recomputed here.
 *
 * @example
 * outputSizeFormulas(analyzeLayer('Conv2D', { kernelSize: [5], padding: 'same' }, [[28, 28, 1]]));
 * // [{ axis: 'height', text: 'floor((28 − 5 + 2·2)/1) + 1 = 28' }, { axis: 'width', … }]
 */
export function outputSizeFormulas(analysis: NodeAnalysis | undefined): AxisFormula[] {
  const input = analysis?.inputShapes?.[0];
  const output = analysis?.outputShapes?.[0];
  const window = analysis?.window;
  if (!input || !output || !window) return [];
  const names = AXIS_NAMES[window.length] ?? [];
  return window.map((step, i) => {
    const axis = names[i] ?? `axis ${i + 1}`;
    const w = input[i] ?? 0;
    const out = output[i] ?? 0;
    const f = effectiveKernel(step.kernel, step.dilation);
    if (step.transposed) {
      // 'same' crops the full W·S + max(F − S, 0) back to W·S; the output says which one the layer made.
      const full = `W·S + max(F − S, 0) = ${w}·${step.stride} + max(${f} − ${step.stride}, 0)`;
      return { axis, text: out === w * step.stride ? `W·S = ${w}·${step.stride} = ${out}` : `${full} = ${out}` };
    }
    const fText = step.dilation > 1 ? `${f} (kernel ${step.kernel} dilated by ${step.dilation})` : String(f);
    const padding = step.padAfter === step.padBefore ? `2·${step.padBefore}` : `${step.padBefore} + ${step.padAfter}`;
    return { axis, text: `floor((${w} − ${fText} + ${padding})/${step.stride}) + 1 = ${out}` };
  });
}
