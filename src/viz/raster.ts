/** Small RGBA raster helpers shared by the figure renderers. */
import type { RgbaImage } from './rgba_image.js';

export type Rgb = [number, number, number];

/** A new opaque image filled with `background` (default white). */
export function createImage(width: number, height: number, background: Rgb = [255, 255, 255]): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`createImage: size must be positive integers; got ${width}×${height}`);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = background[0];
    data[i + 1] = background[1];
    data[i + 2] = background[2];
    data[i + 3] = 255;
  }
  return { width, height, data };
}

/** Blend `color` over pixel (x, y) with coverage `a` in [0, 1]; ignores pixels outside. */
export function plot(img: RgbaImage, x: number, y: number, color: Rgb, a = 1): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height || a <= 0) return;
  const i = (y * img.width + x) * 4;
  const d = img.data;
  d[i] = Math.round(d[i] + (color[0] - d[i]) * a);
  d[i + 1] = Math.round(d[i + 1] + (color[1] - d[i + 1]) * a);
  d[i + 2] = Math.round(d[i + 2] + (color[2] - d[i + 2]) * a);
}

/** Fill the rectangle [x0, x1) × [y0, y1). */
export function fillRect(img: RgbaImage, x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
  for (let y = Math.max(0, Math.round(y0)); y < Math.min(img.height, Math.round(y1)); y++) {
    for (let x = Math.max(0, Math.round(x0)); x < Math.min(img.width, Math.round(x1)); x++) plot(img, x, y, color);
  }
}

/** Antialiased line of the given width (pixel-centre distance to the segment). */
export function drawLine(img: RgbaImage, x0: number, y0: number, x1: number, y1: number, color: Rgb, width = 1.5): void {
  const h = width / 2;
  const minX = Math.max(0, Math.floor(Math.min(x0, x1) - h - 1)),
    maxX = Math.min(img.width - 1, Math.ceil(Math.max(x0, x1) + h + 1));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1) - h - 1)),
    maxY = Math.min(img.height - 1, Math.ceil(Math.max(y0, y1) + h + 1));
  const dx = x1 - x0,
    dy = y1 - y0,
    len2 = dx * dx + dy * dy;
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const px = x + 0.5,
        py = y + 0.5;
      let t = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - (x0 + t * dx),
        ey = py - (y0 + t * dy);
      const cov = h + 0.5 - Math.sqrt(ex * ex + ey * ey);
      if (cov > 0) plot(img, x, y, color, cov > 1 ? 1 : cov);
    }
  }
}

/** Copy `src` into `dst` with its top-left corner at (x, y). */
export function blit(dst: RgbaImage, src: RgbaImage, x: number, y: number): void {
  for (let sy = 0; sy < src.height; sy++) {
    const dy = y + sy;
    if (dy < 0 || dy >= dst.height) continue;
    for (let sx = 0; sx < src.width; sx++) {
      const dx = x + sx;
      if (dx < 0 || dx >= dst.width) continue;
      const si = (sy * src.width + sx) * 4,
        di = (dy * dst.width + dx) * 4;
      dst.data[di] = src.data[si];
      dst.data[di + 1] = src.data[si + 1];
      dst.data[di + 2] = src.data[si + 2];
      dst.data[di + 3] = 255;
    }
  }
}

/** "Nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi] with about `count` ticks. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Short tick label: trims float noise, uses exponent notation for very large/small numbers. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** Categorical palette (Tableau 10) for series. */
export const PALETTE: Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];
const RDBU: Rgb[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

/** Colour of t ∈ [0, 1] in a colormap: 'viridis' (sequential) or 'rdbu' (diverging blue–white–red). */
export function colormap(name: 'viridis' | 'rdbu', t: number): Rgb {
  const stops = name === 'viridis' ? VIRIDIS : RDBU;
  const u = (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5) * (stops.length - 1);
  const i = Math.min(Math.floor(u), stops.length - 2),
    f = u - i;
  const a = stops[i],
    b = stops[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** CSS colour of an Rgb. */
export function css(c: Rgb): string {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Escape text for SVG. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
