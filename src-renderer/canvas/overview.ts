/** A node as the overview draws it: its box in canvas coordinates and its colour. */
export interface OverviewBox {
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

export interface OverviewGeometry {
  /** The panel's size on screen. */
  width: number;
  height: number;
  /** A canvas box → panel pixels; nodes get a minimum size so a long, thin graph still shows. */
  toPanel: (box: OverviewBox, minimum?: boolean) => { x: number; y: number; width: number; height: number };
  /** Panel pixels → the canvas point under them. */
  toCanvas: (px: number, py: number) => { x: number; y: number };
}

const MAX_WIDTH = 190;
const MAX_HEIGHT = 150;
const MIN_SIDE = 40;
const PAD = 8;
/** Drawn at least this wide (a column of layers reads as bars, not a hairline), and stretched at most twice otherwise. */
const MIN_DRAWN_WIDTH = 24;
const STRETCH = 2;

/**
 * Fits a graph into a small panel shaped like it: a tall, thin graph (one column of layers) gets a
 * narrow, tall panel and bars wide enough to see, where a fixed 200×150 minimap showed a hairline.
 *
 * @example
 * overviewGeometry([{ x: 0, y: 0, width: 210, height: 80, color: '#000' }]).toPanel(...)
 */
export function overviewGeometry(boxes: readonly OverviewBox[]): OverviewGeometry {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const b of boxes) {
    left = Math.min(left, b.x);
    top = Math.min(top, b.y);
    right = Math.max(right, b.x + b.width);
    bottom = Math.max(bottom, b.y + b.height);
  }
  if (!Number.isFinite(left)) [left, top, right, bottom] = [0, 0, 1, 1];
  const w = Math.max(1, right - left);
  const h = Math.max(1, bottom - top);
  const sy = Math.min((MAX_HEIGHT - 2 * PAD) / h, (MAX_WIDTH - 2 * PAD) / w);
  const sx = Math.min((MAX_WIDTH - 2 * PAD) / w, Math.max(sy * STRETCH, MIN_DRAWN_WIDTH / w));
  const width = Math.max(MIN_SIDE, Math.round(w * sx + 2 * PAD));
  const height = Math.max(MIN_SIDE, Math.round(h * sy + 2 * PAD));
  // Centre the drawing in a panel that hit its minimum size.
  const ox = (width - w * sx) / 2;
  const oy = (height - h * sy) / 2;
  return {
    width,
    height,
    toPanel(box, minimum = true) {
      const bw = box.width * sx;
      const bh = box.height * sy;
      const mw = minimum ? Math.max(bw, 3) : bw;
      const mh = minimum ? Math.max(bh, 1.5) : bh;
      return { x: ox + (box.x - left) * sx - (mw - bw) / 2, y: oy + (box.y - top) * sy - (mh - bh) / 2, width: mw, height: mh };
    },
    toCanvas: (px, py) => ({ x: left + (px - ox) / sx, y: top + (py - oy) / sy }),
  };
}

/** The nodes drawn once (one path per colour: thousands of layers in a few fills), to be copied each frame. */
export function paintNodes(g: OverviewGeometry, boxes: readonly OverviewBox[], ratio: number): HTMLCanvasElement {
  const layer = document.createElement('canvas');
  layer.width = Math.round(g.width * ratio);
  layer.height = Math.round(g.height * ratio);
  const ctx = layer.getContext('2d');
  if (!ctx) return layer;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const byColor = new Map<string, Path2D>();
  for (const box of boxes) {
    const r = g.toPanel(box);
    let path = byColor.get(box.color);
    if (!path) byColor.set(box.color, (path = new Path2D()));
    path.rect(r.x, r.y, r.width, r.height);
  }
  for (const [color, path] of byColor) {
    ctx.fillStyle = color;
    ctx.fill(path);
  }
  return layer;
}

/** Copies the painted nodes and outlines the view (everything outside it dimmed): cheap enough for every frame of a pan. */
export function paintOverview(target: HTMLCanvasElement, g: OverviewGeometry, nodes: HTMLCanvasElement, view: { x: number; y: number; width: number; height: number }, ratio: number): void {
  if (target.width !== nodes.width || target.height !== nodes.height) {
    target.width = nodes.width;
    target.height = nodes.height;
  }
  const ctx = target.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, target.width, target.height);
  ctx.drawImage(nodes, 0, 0);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const style = getComputedStyle(target);
  const v = g.toPanel({ ...view, color: '' }, false);
  ctx.fillStyle = style.getPropertyValue('--overview-mask').trim() || 'rgba(0,0,0,0.2)';
  ctx.beginPath();
  ctx.rect(0, 0, g.width, g.height);
  ctx.rect(v.x, v.y, v.width, v.height);
  ctx.fill('evenodd');
  ctx.strokeStyle = style.getPropertyValue('--accent').trim() || '#5552e0';
  ctx.lineWidth = 1.5;
  ctx.strokeRect(Math.max(0.75, v.x), Math.max(0.75, v.y), Math.min(v.width, g.width - 1.5), Math.min(v.height, g.height - 1.5));
}
