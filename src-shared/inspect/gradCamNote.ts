/**
 * What to say about a Grad-CAM map when it is not the usual picture: an empty map (every weighted
 * activation negative, so the ReLU zeroed it: the layer has nothing for the class here), or the
 * signed map before the ReLU, and how to read it.
 *
 * @example
 * gradCamNote({ empty: true, beforeRelu: false, raw, layer: 'conv1', className: '7' });
 * // "The map is empty: every weighted activation of 'conv1' is negative for “7” (−0.31 to −0.02), …"
 */
export function gradCamNote(input: { empty: boolean; beforeRelu: boolean; raw: ArrayLike<number>; layer: string; className: string }): string | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < input.raw.length; i++) {
    const v = input.raw[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = `${format(min)} to ${format(max)}`;
  if (input.beforeRelu) {
    if (!(max > min)) return `Before the ReLU the map is flat (${format(max)} everywhere): '${input.layer}' says the same about “${input.className}” at every position.`;
    return max <= 0
      ? `Before the ReLU: every weighted activation of '${input.layer}' is negative for “${input.className}” (${range}); brighter is less against the class.`
      : `Before the ReLU (${range}): dark is evidence against “${input.className}”, bright for it; Grad-CAM keeps only the part above zero.`;
  }
  if (!input.empty) return null;
  if (max === 0 && min === 0) return `The map is empty: '${input.layer}' has no gradient for “${input.className}” on this image (its activations or their weights are all zero), so there is nothing to show.`;
  return `The map is empty: every weighted activation of '${input.layer}' is negative for “${input.className}” (${range}), so Grad-CAM's ReLU zeroed all of it. Nothing in this layer speaks for the class here; the map before the ReLU shows where it speaks least against it.`;
}

function format(value: number): string {
  return String(Number(value.toPrecision(2))).replace('-', '−');
}
