// Draws the sample images of the anchor-box explorer (assets/samples/*.png): simple 256×256 scenes with
// a few distinct objects, so anchors and ground-truth boxes have something to frame. Procedural, because
// the repository ships no photographs. Run: node scripts/render-samples.mjs
import { PNG } from 'pngjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 256;
const SUPERSAMPLE = 3; // 3×3 samples per pixel: smooth edges without a vector renderer
const outDir = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'assets', 'samples');

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const vgrad = (top, bottom, y0, y1) => (x, y) => mix(hex(top), hex(bottom), Math.min(1, Math.max(0, (y - y0) / (y1 - y0))));

// Shapes answer "inside?" for a point; a layer is a shape with a colour (or a colour function).
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ellipse = (cx, cy, rx, ry) => (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const rect = (x0, y0, x1, y1, r = 0) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return dx * dx + dy * dy <= r * r;
};
const triangle = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by);
  const d2 = s(bx, by, cx, cy);
  const d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const layer = (shape, colour) => ({ shape, colour: typeof colour === 'string' ? () => hex(colour) : colour });

function render(name, background, layers) {
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = px + (sx + 0.5) / SUPERSAMPLE;
          const y = py + (sy + 0.5) / SUPERSAMPLE;
          let colour = background(x, y);
          for (const l of layers) if (l.shape(x, y)) colour = l.colour(x, y);
          colour.forEach((v, i) => (sum[i] += v));
        }
      }
      const at = (py * SIZE + px) * 4;
      sum.forEach((v, i) => (png.data[at + i] = Math.round(v / SUPERSAMPLE ** 2)));
      png.data[at + 3] = 255;
    }
  }
  writeFileSync(path.join(outDir, `${name}.png`), PNG.sync.write(png, { colorType: 2 }));
}

mkdirSync(outDir, { recursive: true });

// A cat and a dog on a lawn (d2l's running example), drawn from ellipses.
const lawn = (x, y) => (y < 150 ? vgrad('#9cc9f0', '#dcefff', 0, 150)(x, y) : vgrad('#7cb861', '#4f8f3f', 150, 256)(x, y));
const animal = (cx, cy, body, ear) => [
  layer(ellipse(cx, cy + 40, body * 1.25, body * 0.8), ear),
  layer(circle(cx, cy, body * 0.62), ear),
  layer(triangle(cx - body * 0.58, cy - body * 0.2, cx - body * 0.45, cy - body * 0.95, cx - body * 0.08, cy - body * 0.5), ear),
  layer(triangle(cx + body * 0.58, cy - body * 0.2, cx + body * 0.45, cy - body * 0.95, cx + body * 0.08, cy - body * 0.5), ear),
  layer(circle(cx - body * 0.22, cy - body * 0.08, body * 0.09), '#1f2430'),
  layer(circle(cx + body * 0.22, cy - body * 0.08, body * 0.09), '#1f2430'),
  layer(ellipse(cx, cy + body * 0.22, body * 0.12, body * 0.08), '#3b2a2a'),
];
render('cat-and-dog', lawn, [
  layer(circle(214, 40, 20), '#ffd166'),
  ...animal(74, 118, 44, '#c98a4b'),
  ...animal(186, 146, 32, '#8d8f99'),
]);

// Fruit on a table: round and elongated objects of different sizes.
const table = (x, y) => (y < 170 ? vgrad('#f4efe6', '#e6dccb', 0, 170)(x, y) : vgrad('#a46b43', '#7a4a2b', 170, 256)(x, y));
render('fruit', table, [
  layer(ellipse(128, 196, 118, 22), '#ffffff'),
  layer(circle(70, 160, 36), (x, y) => mix(hex('#f25c54'), hex('#b52b27'), Math.min(1, Math.hypot(x - 58, y - 148) / 50))),
  layer(rect(67, 114, 73, 128, 2), '#6b4226'),
  layer(ellipse(84, 118, 12, 6), '#5cae4a'),
  layer(circle(150, 168, 28), (x, y) => mix(hex('#ffb347'), hex('#e07b00'), Math.min(1, Math.hypot(x - 140, y - 158) / 40))),
  layer(ellipse(206, 150, 20, 52), (x) => mix(hex('#ffe66d'), hex('#e0b400'), Math.min(1, Math.abs(x - 200) / 24))),
  layer(rect(202, 94, 210, 104, 2), '#6b5a26'),
]);

// A street: a wide car, a tall person-like figure and a traffic sign, for boxes of different ratios.
const street = (x, y) => (y < 180 ? vgrad('#5b7cbd', '#c9d8f2', 0, 180)(x, y) : vgrad('#5a5f6a', '#3d414a', 180, 256)(x, y));
render('street', street, [
  layer(rect(0, 214, 256, 219), '#e9e3c9'),
  layer(rect(28, 70, 112, 180), '#8593ad'),
  layer(rect(36, 80, 104, 170), (x, y) => (Math.floor((x - 36) / 17) % 2 === 0 && Math.floor((y - 80) / 15) % 2 === 0 ? hex('#ffe7a3') : hex('#6e7c97'))),
  layer(rect(20, 176, 150, 214, 10), '#d64545'),
  layer(rect(44, 156, 120, 184, 12), '#d64545'),
  layer(rect(54, 162, 110, 180, 6), '#bfe3ff'),
  layer(circle(48, 214, 13), '#22252c'),
  layer(circle(122, 214, 13), '#22252c'),
  layer(circle(48, 214, 5), '#aab0bb'),
  layer(circle(122, 214, 5), '#aab0bb'),
  layer(circle(186, 130, 12), '#f1c7a0'),
  layer(rect(174, 144, 198, 196, 6), '#2f6fd6'),
  layer(rect(176, 194, 184, 226, 3), '#2b2f3a'),
  layer(rect(188, 194, 196, 226, 3), '#2b2f3a'),
  layer(rect(229, 120, 233, 222), '#9aa1ad'),
  layer(circle(231, 110, 16), '#e5484d'),
  layer(rect(221, 107, 241, 113), '#ffffff'),
]);

console.log(`Wrote 3 samples to ${outDir}`);
