/** Width of a character of an edge label (11 px monospace). */
const LABEL_CHAR_PX = 6.7;

/**
 * The path of a long edge that runs down a lane at x = `lane`: out of its source, an S-bend over to
 * the lane, straight down beside the layers it passes, an S-bend back into its target. Returns the
 * SVG path and where its label goes (halfway down the lane), as getBezierPath does.
 *
 * @example
 * lanePath(100, 80, 100, 600, 260, '28×28'); // ['M100,80 C100,108 260,108 260,136 L260,544 C…', 288, 340]
 */
export function lanePath(sx: number, sy: number, tx: number, ty: number, lane: number, labelText = ''): [path: string, labelX: number, labelY: number] {
  const bend = Math.min(28, (ty - sy) / 4);
  const top = sy + 2 * bend;
  const bottom = ty - 2 * bend;
  const path = `M${sx},${sy} C${sx},${sy + bend} ${lane},${sy + bend} ${lane},${top} L${lane},${bottom} C${lane},${ty - bend} ${tx},${ty - bend} ${tx},${ty}`;
  // The label sits beside the lane, on its outer side, clear of the layers it passes.
  const side = lane >= (sx + tx) / 2 ? 1 : -1;
  const halfLabel = (labelText.length * LABEL_CHAR_PX + 14) / 2;
  return [path, lane + side * (halfLabel + 4), (top + bottom) / 2];
}
