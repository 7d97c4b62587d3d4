/**
 * Counts and figures as the UI words them, one place for all: "1 layer" but "2 layers", and what the
 * FLOPs figure really counts.
 */

/**
 * A count with its noun, singular for exactly one: plural(1, 'layer') → "1 layer", plural(1234, 'sample')
 * → "1,234 samples", plural(2, 'class', 'classes') → "2 classes".
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/**
 * The analysis counts multiply-adds, which papers often call FLOPs though each is two floating-point
 * operations: the label says which, as the layer inspector does.
 */
export const FLOPS_LABEL = 'FLOPs (MACs)';

/** Beside a figure where room is short (a node's footer): "416K MACs". */
export const FLOPS_UNIT = 'MACs';

/** The tooltip that says what the short unit means. */
export const FLOPS_TITLE = 'FLOPs counted as multiply-adds (MACs), as the inspector lists them';
