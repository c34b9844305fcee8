import { drawText, drawTextVertical, GLYPH_HEIGHT, textWidth } from './font.js';
import type { RgbaImage } from './rgba_image.js';
import { colormap, createImage, css, escapeXml, fillRect, formatTick, niceTicks, type Rgb } from './raster.js';

/** A matrix as nested rows or as a flat row-major array with its shape. */
export type MatrixInput = ArrayLike<number>[] | { data: ArrayLike<number>; rows: number; cols: number };

export interface HeatmapOptions {
  rowLabels?: string[];
  colLabels?: string[];
  /** Colour scale limits. Default: [−m, m] with m = max |v| for 'rdbu' (or [−1, 1] when m ≤ 1); [min, max] for 'viridis'. */
  range?: [number, number];
  /** 'rdbu' (diverging, for correlations; default) or 'viridis' (sequential). */
  colormap?: 'rdbu' | 'viridis';
  /** Cell side in pixels. Default 28. */
  cellSize?: number;
  /** Write each value in its cell. Default true when cells are ≥ 24 px. */
  annotate?: boolean;
  title?: string;
}

interface Layout {
  rows: number;
  cols: number;
  values: Float64Array;
  lo: number;
  hi: number;
  cell: number;
  left: number;
  top: number;
  barX: number;
  width: number;
  height: number;
  ticks: number[];
  annotate: boolean;
}

function layout(where: string, m: MatrixInput, o: HeatmapOptions): Layout {
  let rows: number, cols: number, values: Float64Array;
  if (Array.isArray(m)) {
    rows = m.length;
    cols = rows > 0 ? m[0].length : 0;
    values = new Float64Array(rows * cols);
    m.forEach((r, i) => {
      if (r.length !== cols) throw new Error(`${where}: row ${i} has ${r.length} values; row 0 has ${cols}`);
      for (let j = 0; j < cols; j++) values[i * cols + j] = r[j];
    });
  } else {
    ({ rows, cols } = m);
    if (!m.data || m.data.length !== rows * cols) throw new Error(`${where}: 'data' must have rows·cols = ${rows * cols} values; got ${m.data?.length}`);
    values = Float64Array.from(m.data);
  }
  if (!(rows > 0 && cols > 0)) throw new Error(`${where}: the matrix must not be empty; got ${rows}×${cols}`);
  if (o.rowLabels && o.rowLabels.length !== rows) throw new Error(`${where}: 'rowLabels' must have ${rows} entries; got ${o.rowLabels.length}`);
  if (o.colLabels && o.colLabels.length !== cols) throw new Error(`${where}: 'colLabels' must have ${cols} entries; got ${o.colLabels.length}`);
  const finite = Array.from(values).filter(Number.isFinite);
  let [lo, hi] = o.range ?? [NaN, NaN];
  if (o.range === undefined) {
    if ((o.colormap ?? 'rdbu') === 'rdbu') {
      const mx = Math.max(0, ...finite.map(Math.abs));
      hi = mx <= 1 ? 1 : mx;
      lo = -hi;
    } else {
      lo = finite.length ? Math.min(...finite) : 0;
      hi = finite.length ? Math.max(...finite) : 1;
      if (hi === lo) hi = lo + 1;
    }
  }
  if (!(hi > lo)) throw new Error(`${where}: 'range' must be [low, high] with low < high; got [${lo}, ${hi}]`);
  const cell = o.cellSize ?? 28;
  const rowW = o.rowLabels ? Math.max(...o.rowLabels.map((l) => textWidth(l))) + 6 : 0;
  const colH = o.colLabels ? Math.max(...o.colLabels.map((l) => textWidth(l))) + 6 : 0;
  const titleH = o.title ? GLYPH_HEIGHT + 6 : 0;
  const ticks = niceTicks(lo, hi, 4);
  const tickW = Math.max(...ticks.map((t) => textWidth(formatTick(t))));
  const left = rowW + 4,
    top = titleH + colH + 4;
  const barX = left + cols * cell + 12;
  return {
    rows,
    cols,
    values,
    lo,
    hi,
    cell,
    left,
    top,
    barX,
    ticks,
    width: Math.max(barX + 14 + 7 + tickW + 6, o.title ? textWidth(o.title) + 8 : 0),
    height: Math.max(top + rows * cell + 6, top + 80),
    annotate: o.annotate ?? cell >= 24,
  };
}

const color = (L: Layout, v: number, map: 'rdbu' | 'viridis'): Rgb => (Number.isFinite(v) ? colormap(map, (v - L.lo) / (L.hi - L.lo)) : [200, 200, 200]);
const cellText = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) < 10 ? v.toFixed(2) : formatTick(v)) : 'nan').replace(/^-/, '−').replace(/^(−?)0\./, '$1.');
const inkOn = (c: Rgb): Rgb => (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 140 ? [0, 0, 0] : [255, 255, 255]);

/**
 * A heat-map of a matrix (e.g. the correlation of latent directions or attributes) with row and
 * column labels, optional per-cell values and a colour bar with ticks, as an RGBA raster.
 */
export function heatmap(matrix: MatrixInput, options: HeatmapOptions = {}): RgbaImage {
  const map = options.colormap ?? 'rdbu';
  const L = layout('heatmap', matrix, options);
  const img = createImage(L.width, L.height);
  if (options.title) drawText(img, options.title, L.width / 2, 3, { align: 'center' });
  for (let i = 0; i < L.rows; i++) {
    for (let j = 0; j < L.cols; j++) {
      const v = L.values[i * L.cols + j];
      const c = color(L, v, map);
      const x = L.left + j * L.cell,
        y = L.top + i * L.cell;
      fillRect(img, x, y, x + L.cell, y + L.cell, c);
      if (L.annotate) {
        const t = cellText(v);
        if (textWidth(t) <= L.cell - 2) drawText(img, t, x + L.cell / 2, y + L.cell / 2 - 3, { align: 'center', color: inkOn(c) });
      }
    }
  }
  options.rowLabels?.forEach((l, i) => drawText(img, l, L.left - 4, L.top + i * L.cell + L.cell / 2 - 3, { align: 'right' }));
  options.colLabels?.forEach((l, j) => drawTextVertical(img, l, L.left + j * L.cell + L.cell / 2 - 3, L.top - 4));
  // colour bar
  const barTop = L.top,
    barH = Math.max(L.rows * L.cell, 80);
  for (let y = 0; y < barH; y++) fillRect(img, L.barX, barTop + y, L.barX + 14, barTop + y + 1, colormap(map, 1 - y / (barH - 1)));
  for (const t of L.ticks) {
    const y = barTop + Math.round((1 - (t - L.lo) / (L.hi - L.lo)) * (barH - 1));
    fillRect(img, L.barX + 14, y, L.barX + 16, y + 1, [0, 0, 0]);
    drawText(img, formatTick(t).replace(/^-/, '−'), L.barX + 21, y - 3);
  }
  return img;
}

/** The same heat-map as an SVG document (text as real text). */
export function heatmapSvg(matrix: MatrixInput, options: HeatmapOptions = {}): string {
  const map = options.colormap ?? 'rdbu';
  const L = layout('heatmapSvg', matrix, options);
  const s = 1.5; // SVG text is proportional: give it room
  const W = Math.round(L.width * s),
    H = Math.round(L.height * s);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${L.width} ${L.height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  if (options.title) out.push(`<text x="${L.width / 2}" y="9" font-size="8" text-anchor="middle">${escapeXml(options.title)}</text>`);
  for (let i = 0; i < L.rows; i++) {
    for (let j = 0; j < L.cols; j++) {
      const v = L.values[i * L.cols + j];
      const c = color(L, v, map);
      const x = L.left + j * L.cell,
        y = L.top + i * L.cell;
      out.push(
        `<rect x="${x}" y="${y}" width="${L.cell}" height="${L.cell}" fill="${css(c)}"><title>${escapeXml(`${options.rowLabels?.[i] ?? i}, ${options.colLabels?.[j] ?? j}: ${v}`)}</title></rect>`,
      );
      if (L.annotate) out.push(`<text x="${x + L.cell / 2}" y="${y + L.cell / 2 + 2.5}" font-size="7" text-anchor="middle" fill="${css(inkOn(c))}">${escapeXml(cellText(v))}</text>`);
    }
  }
  options.rowLabels?.forEach((l, i) => out.push(`<text x="${L.left - 4}" y="${L.top + i * L.cell + L.cell / 2 + 2.5}" font-size="7" text-anchor="end">${escapeXml(l)}</text>`));
  options.colLabels?.forEach((l, j) => {
    const x = L.left + j * L.cell + L.cell / 2 + 2.5,
      y = L.top - 4;
    out.push(`<text x="${x}" y="${y}" font-size="7" transform="rotate(-90 ${x} ${y})">${escapeXml(l)}</text>`);
  });
  const barH = Math.max(L.rows * L.cell, 80);
  out.push(
    `<defs><linearGradient id="cbar" x1="0" y1="1" x2="0" y2="0">${Array.from({ length: 11 }, (_, k) => `<stop offset="${k / 10}" stop-color="${css(colormap(map, k / 10))}"/>`).join('')}</linearGradient></defs>`,
  );
  out.push(`<rect x="${L.barX}" y="${L.top}" width="14" height="${barH}" fill="url(#cbar)"/>`);
  for (const t of L.ticks) {
    const y = L.top + (1 - (t - L.lo) / (L.hi - L.lo)) * (barH - 1);
    out.push(
      `<line x1="${L.barX + 14}" x2="${L.barX + 16}" y1="${y}" y2="${y}" stroke="black" stroke-width="0.6"/><text x="${L.barX + 21}" y="${y + 2.5}" font-size="7">${escapeXml(formatTick(t))}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
