/**
 * Level of detail on the canvas. Close up a layer shows everything (name, type, caption, shape,
 * params; edges show shapes). Further out it shows its name and type as one line of text that keeps
 * a readable size on screen, spilling into the free space beside the layer. Far out, layers are
 * coloured bars and the names of their groups ('denseblock2', 'block_7') label the regions.
 */

export type DetailLevel = 'full' | 'names' | 'overview';

/** At and above this zoom a layer shows every detail. */
export const FULL_DETAIL_ZOOM = 0.4;
/** Below this zoom one line of text per layer no longer fits between rows: only groups are named. */
export const NAMES_ZOOM = 0.1;
/** The on-screen size of the zoomed-out labels, in CSS pixels. */
export const LABEL_SCREEN_PX = 13;
/** Average advance of a character of a 13 px label (bold names are wider), in CSS pixels. */
const CHAR_PX = 7.6;

export function detailLevel(zoom: number): DetailLevel {
  if (zoom >= FULL_DETAIL_ZOOM) return 'full';
  return zoom >= NAMES_ZOOM ? 'names' : 'overview';
}

/**
 * The zoom rounded down to a step of about 15 %: labels are sized and shortened per step, so zooming
 * re-renders them a few times, not on every frame.
 *
 * @example
 * zoomStep(0.3); // 0.2890
 */
export function zoomStep(zoom: number): number {
  if (zoom >= FULL_DETAIL_ZOOM) return FULL_DETAIL_ZOOM;
  const k = Math.ceil(Math.log(zoom / FULL_DETAIL_ZOOM) / Math.log(0.85));
  return FULL_DETAIL_ZOOM * 0.85 ** k;
}

/** How many characters of a zoomed-out label fit in `room` canvas pixels at a zoom step. */
export function labelChars(room: number, step: number): number {
  return Math.max(0, Math.floor((room * step - 8) / CHAR_PX));
}

/**
 * Shortens a name in the middle, where layer names repeat themselves ('block_7_…'), keeping the end
 * that tells them apart ('…expand_relu').
 *
 * @example
 * middleTruncate('block_7_depthwise_relu', 14); // 'block_…se_relu' (14 characters)
 */
export function middleTruncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 1) return maxChars === 1 ? '…' : '';
  const keep = maxChars - 1;
  const head = Math.ceil(keep * 0.45);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/** The one-line label of a zoomed-out layer: as much of its name as fits, then its type if there is room. */
export function zoomedOutLabel(name: string, type: string, room: number, step: number): { name: string; type: string } {
  const chars = labelChars(room, step);
  const shown = middleTruncate(name, chars);
  const left = chars - shown.length - 3;
  return { name: shown, type: left >= Math.min(type.length, 6) ? middleTruncate(type, left) : '' };
}
