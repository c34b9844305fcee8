import { drawText, drawTextVertical, GLYPH_HEIGHT, textWidth } from './font.js';
import type { RgbaImage } from './rgba_image.js';
import { createImage, css, drawLine, escapeXml, fillRect, formatTick, niceTicks, PALETTE, plot, type Rgb } from './raster.js';

/** One curve. Non-finite y values break the line. */
export interface Series {
  name?: string;
  /** Default 0, 1, …, n − 1. */
  x?: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: Rgb;
  /** Draw a marker at every point. */
  markers?: boolean;
}

export interface LinePlotOptions {
  /** Pixels. Default 480 × 320. */
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  xRange?: [number, number];
  yRange?: [number, number];
  /** Show a legend of the named series. Default true when some series has a name. */
  legend?: boolean;
  /** Legend corner; 'auto' (default) picks the corner that hides the fewest data points. */
  legendPosition?: 'auto' | 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left';
}

/** Top-left corner of a w×h legend box in the plotting area (see {@link LinePlotOptions.legendPosition}). */
function legendAt(F: Frame, w: number, h: number, where: LinePlotOptions['legendPosition'] = 'auto'): [number, number] {
  const corners: Record<string, [number, number]> = {
    'top-right': [F.x1 - w - 4, F.y0 + 4],
    'top-left': [F.x0 + 6, F.y0 + 4],
    'bottom-right': [F.x1 - w - 4, F.y1 - h - 4],
    'bottom-left': [F.x0 + 6, F.y1 - h - 4],
  };
  if (where !== 'auto') return corners[where];
  let best = corners['top-right'],
    fewest = Infinity;
  for (const key of ['top-right', 'top-left', 'bottom-right', 'bottom-left']) {
    const [lx, ly] = corners[key];
    let hits = 0;
    for (const s of F.series) {
      // sample along each segment so sparse curves crossing the box count too
      for (let i = 0; i < s.y.length; i++) {
        const steps = i + 1 < s.y.length ? 8 : 1;
        for (let t = 0; t < steps; t++) {
          const f = t / steps;
          const x = i + 1 < s.y.length ? s.x[i] + (s.x[i + 1] - s.x[i]) * f : s.x[i];
          const y = i + 1 < s.y.length ? s.y[i] + (s.y[i + 1] - s.y[i]) * f : s.y[i];
          if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
          const X = px(F, x),
            Y = py(F, y);
          if (X >= lx - 2 && X <= lx + w + 2 && Y >= ly - 2 && Y <= ly + h + 2) hits++;
        }
      }
    }
    if (hits < fewest) {
      fewest = hits;
      best = [lx, ly];
    }
  }
  return best;
}

interface Frame {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  xlo: number;
  xhi: number;
  ylo: number;
  yhi: number;
  xTicks: number[];
  yTicks: number[];
  series: { name?: string; x: Float64Array; y: Float64Array; color: Rgb; markers: boolean }[];
  W: number;
  H: number;
}

function frame(where: string, series: Series[], o: LinePlotOptions): Frame {
  const { width = 480, height = 320 } = o;
  if (!Array.isArray(series) || series.length === 0) throw new Error(`${where}: 'series' must be a non-empty array`);
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 120 && height >= 80)) throw new Error(`${where}: size must be integers ≥ 120 × 80; got ${width} × ${height}`);
  const ss = series.map((s, k) => {
    if (!s || !s.y || typeof s.y.length !== 'number') throw new Error(`${where}: series ${k} needs a 'y' array`);
    const y = Float64Array.from(s.y);
    const x = s.x === undefined ? Float64Array.from(y, (_, i) => i) : Float64Array.from(s.x);
    if (x.length !== y.length) throw new Error(`${where}: series ${k} ('${s.name ?? ''}') has ${x.length} x values and ${y.length} y values`);
    return { name: s.name, x, y, color: s.color ?? PALETTE[k % PALETTE.length], markers: s.markers ?? false };
  });
  const range = (vals: number[], given?: [number, number]): [number, number] => {
    if (given) {
      if (!(given[1] > given[0])) throw new Error(`${where}: a range must be [low, high] with low < high; got [${given.join(', ')}]`);
      return given;
    }
    const f = vals.filter(Number.isFinite);
    if (f.length === 0) return [0, 1];
    let lo = Math.min(...f),
      hi = Math.max(...f);
    if (hi === lo) {
      lo -= 0.5;
      hi += 0.5;
    }
    const pad = (hi - lo) * 0.04;
    return [lo - pad, hi + pad];
  };
  const [xlo, xhi] = range(
    ss.flatMap((s) => Array.from(s.x)),
    o.xRange,
  );
  const [ylo, yhi] = range(
    ss.flatMap((s) => Array.from(s.y)),
    o.yRange,
  );
  const yTicks = niceTicks(ylo, yhi, 5),
    xTicks = niceTicks(xlo, xhi, 6);
  const tickW = Math.max(...yTicks.map((t) => textWidth(formatTick(t))), 6);
  const x0 = 6 + (o.yLabel ? GLYPH_HEIGHT + 4 : 0) + tickW + 6;
  const y0 = o.title ? GLYPH_HEIGHT + 10 : 8;
  const x1 = width - 12,
    y1 = height - (o.xLabel ? 2 * GLYPH_HEIGHT + 10 : GLYPH_HEIGHT + 10);
  return { x0, x1, y0, y1, xlo, xhi, ylo, yhi, xTicks, yTicks, series: ss, W: width, H: height };
}

const px = (F: Frame, x: number): number => F.x0 + ((x - F.xlo) / (F.xhi - F.xlo)) * (F.x1 - F.x0);
const py = (F: Frame, y: number): number => F.y1 - ((y - F.ylo) / (F.yhi - F.ylo)) * (F.y1 - F.y0);
const minus = (s: string): string => s.replace(/^-/, '−');

/** Polyline pieces between non-finite values, clipped to the plotting area by the caller's raster. */
function pieces(F: Frame, s: Frame['series'][number]): [number, number][][] {
  const out: [number, number][][] = [];
  let cur: [number, number][] = [];
  for (let i = 0; i < s.y.length; i++) {
    if (Number.isFinite(s.x[i]) && Number.isFinite(s.y[i])) cur.push([px(F, s.x[i]), py(F, s.y[i])]);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * A line plot (loss curves, probability or AU intensity vs α) as an RGBA raster: axes with nice
 * ticks, grid, labels, a legend; non-finite values leave gaps.
 */
export function linePlot(series: Series[], options: LinePlotOptions = {}): RgbaImage {
  const F = frame('linePlot', series, options);
  const img = createImage(F.W, F.H);
  const grey: Rgb = [225, 225, 225],
    ink: Rgb = [0, 0, 0];
  for (const t of F.yTicks) {
    const y = Math.round(py(F, t));
    fillRect(img, F.x0, y, F.x1, y + 1, grey);
    fillRect(img, F.x0 - 3, y, F.x0, y + 1, ink);
    drawText(img, minus(formatTick(t)), F.x0 - 5, y - 3, { align: 'right' });
  }
  for (const t of F.xTicks) {
    const x = Math.round(px(F, t));
    fillRect(img, x, F.y0, x + 1, F.y1, grey);
    fillRect(img, x, F.y1, x + 1, F.y1 + 3, ink);
    drawText(img, minus(formatTick(t)), x, F.y1 + 5, { align: 'center' });
  }
  fillRect(img, F.x0, F.y0, F.x0 + 1, F.y1 + 1, ink);
  fillRect(img, F.x0, F.y1, F.x1 + 1, F.y1 + 1, ink);
  // curves, clipped to the plotting box
  for (const s of F.series) {
    for (const p of pieces(F, s)) {
      for (let i = 1; i < p.length; i++) clipLine(img, F, p[i - 1], p[i], s.color);
      if (p.length === 1 || s.markers)
        for (const [x, y] of p)
          for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (dx * dx + dy * dy <= 4 && inBox(F, x + dx, y + dy)) plot(img, Math.round(x + dx), Math.round(y + dy), s.color);
    }
  }
  if (options.title) drawText(img, options.title, (F.x0 + F.x1) / 2, 3, { align: 'center' });
  if (options.xLabel) drawText(img, options.xLabel, (F.x0 + F.x1) / 2, F.H - GLYPH_HEIGHT - 2, { align: 'center' });
  if (options.yLabel) drawTextVertical(img, options.yLabel, 4, (F.y0 + F.y1) / 2 + textWidth(options.yLabel) / 2);
  const named = F.series.filter((s) => s.name);
  if ((options.legend ?? named.length > 0) && named.length > 0) {
    const w = Math.max(...named.map((s) => textWidth(s.name!))) + 24;
    const [lx, ly] = legendAt(F, w, named.length * 11 + 2, options.legendPosition);
    fillRect(img, lx - 1, ly - 1, lx + w + 1, ly + named.length * 11 + 3, [160, 160, 160]);
    fillRect(img, lx, ly, lx + w, ly + named.length * 11 + 2, [255, 255, 255]);
    named.forEach((s, k) => {
      const y = ly + 6 + k * 11;
      drawLine(img, lx + 4, y, lx + 16, y, s.color, 2);
      drawText(img, s.name!, lx + 20, y - 3);
    });
  }
  return img;
}

function inBox(F: Frame, x: number, y: number): boolean {
  return x >= F.x0 && x <= F.x1 && y >= F.y0 && y <= F.y1;
}

/** Liang–Barsky clip of a segment to the plotting box, then an antialiased line. */
function clipLine(img: RgbaImage, F: Frame, a: [number, number], b: [number, number], color: Rgb): void {
  let t0 = 0,
    t1 = 1;
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  const edges: [number, number][] = [
    [-dx, a[0] - F.x0],
    [dx, F.x1 - a[0]],
    [-dy, a[1] - F.y0],
    [dy, F.y1 - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return;
      if (r < t1) t1 = r;
    }
  }
  drawLine(img, a[0] + t0 * dx, a[1] + t0 * dy, a[0] + t1 * dx, a[1] + t1 * dy, color, 1.8);
}

/** The same plot as an SVG document. */
export function linePlotSvg(series: Series[], options: LinePlotOptions = {}): string {
  const F = frame('linePlotSvg', series, options);
  const o: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${F.W}" height="${F.H}" viewBox="0 0 ${F.W} ${F.H}" font-family="sans-serif" font-size="10">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  o.push(`<defs><clipPath id="plotbox"><rect x="${F.x0}" y="${F.y0}" width="${F.x1 - F.x0}" height="${F.y1 - F.y0}"/></clipPath></defs>`);
  for (const t of F.yTicks) {
    const y = py(F, t).toFixed(2);
    o.push(`<line x1="${F.x0}" x2="${F.x1}" y1="${y}" y2="${y}" stroke="#e1e1e1"/><text x="${F.x0 - 5}" y="${+y + 3}" text-anchor="end">${escapeXml(minus(formatTick(t)))}</text>`);
  }
  for (const t of F.xTicks) {
    const x = px(F, t).toFixed(2);
    o.push(`<line x1="${x}" x2="${x}" y1="${F.y0}" y2="${F.y1}" stroke="#e1e1e1"/><text x="${x}" y="${F.y1 + 13}" text-anchor="middle">${escapeXml(minus(formatTick(t)))}</text>`);
  }
  o.push(`<path d="M${F.x0} ${F.y0}V${F.y1}H${F.x1}" fill="none" stroke="black"/>`);
  for (const s of F.series) {
    for (const p of pieces(F, s)) {
      o.push(`<polyline clip-path="url(#plotbox)" fill="none" stroke="${css(s.color)}" stroke-width="1.8" points="${p.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' ')}"/>`);
      if (p.length === 1 || s.markers) for (const [x, y] of p) o.push(`<circle cx="${x.toFixed(2)}" cy="${y.toFixed(2)}" r="2.2" fill="${css(s.color)}"/>`);
    }
  }
  if (options.title) o.push(`<text x="${(F.x0 + F.x1) / 2}" y="12" text-anchor="middle" font-size="11">${escapeXml(options.title)}</text>`);
  if (options.xLabel) o.push(`<text x="${(F.x0 + F.x1) / 2}" y="${F.H - 4}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel) o.push(`<text x="12" y="${(F.y0 + F.y1) / 2}" text-anchor="middle" transform="rotate(-90 12 ${(F.y0 + F.y1) / 2})">${escapeXml(options.yLabel)}</text>`);
  const named = F.series.filter((s) => s.name);
  if ((options.legend ?? named.length > 0) && named.length > 0) {
    const w = Math.max(...named.map((s) => s.name!.length)) * 6 + 28;
    const [lx, ly] = legendAt(F, w, named.length * 13 + 4, options.legendPosition);
    o.push(`<rect x="${lx}" y="${ly}" width="${w}" height="${named.length * 13 + 4}" fill="white" stroke="#a0a0a0"/>`);
    named.forEach((s, k) => {
      const y = ly + 9 + k * 13;
      o.push(`<line x1="${lx + 4}" x2="${lx + 18}" y1="${y}" y2="${y}" stroke="${css(s.color)}" stroke-width="2"/><text x="${lx + 22}" y="${y + 3.5}">${escapeXml(s.name!)}</text>`);
    });
  }
  o.push('</svg>');
  return o.join('\n');
}
