import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { alphaStrip } from '../../src/viz/alpha_strip.js';
import { drawText, drawTextVertical, GLYPH_WIDTH, textWidth } from '../../src/viz/font.js';
import { heatmap, heatmapSvg } from '../../src/viz/heatmap.js';
import { imageGrid, type RgbaImage } from '../../src/viz/image_grid.js';
import { linePlot, linePlotSvg } from '../../src/viz/line_plot.js';
import { colormap, createImage, niceTicks } from '../../src/viz/raster.js';
import { saveAlphaStrip, saveHeatmap, saveImageGrid, saveLinePlot } from '../../src/viz/file/png_file.js';
import { expectNoLeak } from '../helpers/index.js';

const px = (img: RgbaImage, x: number, y: number): number[] => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));
const inked = (img: RgbaImage, x0: number, y0: number, x1: number, y1: number): number => {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (px(img, x, y).every((v) => v < 100)) n++;
  return n;
};

describe('bitmap font', () => {
  it('draws the 5×7 glyphs: "I" is a vertical bar with serifs, text width is 6 px per character', () => {
    const img = createImage(20, 10);
    drawText(img, 'I', 0, 0);
    // column 2 fully inked rows 0..6; columns 1 and 3 only at top and bottom
    for (let r = 0; r < 7; r++) expect(px(img, 2, r)).toEqual([0, 0, 0]);
    expect(px(img, 1, 3)).toEqual([255, 255, 255]);
    expect(px(img, 1, 0)).toEqual([0, 0, 0]);
    expect(textWidth('abc')).toBe(3 * GLYPH_WIDTH - 1);
    expect(textWidth('ab', 2)).toBe(2 * (2 * GLYPH_WIDTH - 1));
  });

  it('keeps ink inside the text box, clips at the border, and rotates for vertical labels', () => {
    const img = createImage(40, 40);
    drawText(img, 'Wq@9', 5, 5);
    expect(inked(img, 5, 5, 5 + textWidth('Wq@9'), 12)).toBe(inked(img, 0, 0, 40, 40));
    expect(inked(img, 0, 0, 40, 40)).toBeGreaterThan(20);
    drawText(img, 'clipped', 35, 36); // must not throw
    const v = createImage(10, 40);
    drawTextVertical(v, 'AB', 1, 30);
    expect(inked(v, 1, 30 - textWidth('AB'), 8, 31)).toBe(inked(v, 0, 0, 10, 40));
  });
});

describe('imageGrid', () => {
  const imgs = tf.tensor4d(
    Float32Array.from({ length: 3 * 4 * 4 * 3 }, (_, i) => (i % 7) / 3 - 1),
    [3, 4, 4, 3],
  );

  it('tiles images with padding and maps [−1, 1] to 0..255', () => {
    const g = imageGrid(imgs, { cols: 2, padding: 1 });
    expect([g.width, g.height]).toEqual([2 * 4 + 3, 2 * 4 + 3]);
    const v = imgs.dataSync();
    // image 1, pixel (y=2, x=3) sits at (1 + 4 + 1 + 3, 1 + 2)
    const want = [0, 1, 2].map((c) => Math.round(((v[((1 * 4 + 2) * 4 + 3) * 3 + c] + 1) / 2) * 255));
    expect(px(g, 9, 3)).toEqual(want);
    expect(px(g, 0, 0)).toEqual([255, 255, 255]);
  });

  it('adds a label band under each tile and a title line', () => {
    const g = imageGrid(imgs, { cols: 3, padding: 2, labels: ['a', 'b', 'c'] });
    expect(g.height).toBe(4 + 10 + 2 * 2);
    expect(inked(g, 0, 2 + 4, g.width, g.height)).toBeGreaterThan(10);
    const t = imageGrid(imgs, { cols: 3, title: 'T' });
    expect(t.height).toBe(4 + 12 + 2 * 2);
    expect(() => imageGrid(imgs, { labels: ['a'] })).toThrow(/imageGrid: 'labels' must have one entry per image \(3\); got 1/);
    expect(() => imageGrid(tf.zeros([2, 4, 4]))).toThrow(/imageGrid: 'images' must have rank 4/);
  });
});

describe('alphaStrip', () => {
  it('lays out rows of samples × columns of α with headers and row labels', () => {
    const rows = 2,
      alphas = [-1, 0, 1];
    const data = Float32Array.from({ length: rows * 3 * 5 * 5 }, (_, i) => Math.floor(i / 25) / 3 - 1); // tile k is flat grey k/3 − 1
    const flat = tf.tensor4d(data, [rows * 3, 5, 5, 1]);
    const s = alphaStrip(flat, alphas, { rowLabels: ['x', 'yy'], padding: 2 });
    const left = textWidth('yy') + 2 * 2 + 2;
    expect(s.width).toBe(left + 3 * 5 + 4 * 2);
    // tile (row 1, α index 2) = image 5 → grey (5/3 − 1 + 1)/2·255
    const ox = left + 2 + 2 * 7,
      oy = 8 + 4 + 2 + 1 * 7;
    expect(px(s, ox + 2, oy + 2)).toEqual(Array(3).fill(Math.round((5 / 3 / 2) * 255)));
    // headers are inked above the tiles
    expect(inked(s, left, 0, s.width, 10)).toBeGreaterThan(10);
    const five = alphaStrip(tf.reshape(flat, [rows, 3, 5, 5, 1]), alphas, { rowLabels: ['x', 'yy'], padding: 2 });
    expect(Array.from(five.data)).toEqual(Array.from(s.data));
    expect(() => alphaStrip(flat, [0, 1, 2, 3])).toThrow(/alphaStrip: 'alphas' \(4 values\) must divide the number of images evenly; got 6 images/);
    expect(() => alphaStrip(flat, alphas, { rowLabels: ['x'] })).toThrow(/'rowLabels' must have 2 entries/);
  });

  it('creates no tensors that outlive the call', async () => {
    const t = tf.zeros([2, 2, 4, 4, 3]);
    await expectNoLeak(() => alphaStrip(t, [0, 1]));
    t.dispose();
  });
});

describe('heatmap', () => {
  const m = [
    [1, -0.5],
    [0.25, -1],
  ];

  it('colours each cell by its value on a symmetric scale and draws a colour bar', () => {
    const h = heatmap(m, { cellSize: 30, annotate: false });
    const left = 4,
      top = 4;
    expect(px(h, left + 15, top + 15)).toEqual(colormap('rdbu', 1));
    expect(px(h, left + 45, top + 15)).toEqual(colormap('rdbu', 0.25));
    expect(px(h, left + 15, top + 45)).toEqual(colormap('rdbu', 0.625));
    const barX = left + 2 * 30 + 12;
    expect(px(h, barX + 7, top)).toEqual(colormap('rdbu', 1));
    expect(px(h, barX + 7, top + 79)).toEqual(colormap('rdbu', 0));
    const v = heatmap({ data: [0, 2, 4, 6], rows: 2, cols: 2 }, { colormap: 'viridis', cellSize: 10, annotate: false });
    expect(px(v, 4 + 15, 4 + 15)).toEqual(colormap('viridis', 1));
    expect(px(v, 4 + 5, 4 + 5)).toEqual(colormap('viridis', 0));
  });

  it('writes an SVG with one rect per cell and escaped labels', () => {
    const svg = heatmapSvg(m, { rowLabels: ['a<b', 'c'], colLabels: ['x', 'y&z'], title: 'corr' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)!.length).toBe(4 + 1); // 4 cells + the colour bar
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('y&amp;z');
    expect(svg).toContain(`fill="rgb(${colormap('rdbu', 0).join(',')})"`);
    expect(() => heatmap([[1, 2], [3]])).toThrow(/heatmap: row 1 has 1 values; row 0 has 2/);
    expect(() => heatmap(m, { rowLabels: ['a'] })).toThrow(/'rowLabels' must have 2 entries/);
  });
});

describe('linePlot', () => {
  it('draws the curve where the axes put it and leaves gaps at non-finite values', () => {
    const red: [number, number, number] = [220, 0, 0];
    const p = linePlot([{ x: [0, 1, 2, 3], y: [0, 1, NaN, 3], color: red }], { width: 200, height: 120, xRange: [0, 3], yRange: [0, 3] });
    // find the plotting box from the axis line: the first column (from the left) that is black over most rows
    let x0 = 0;
    while (x0 < 200 && inked(p, x0, 10, x0 + 1, 100) < 60) x0++;
    const isRed = (x: number, y: number): boolean => {
      const c = px(p, x, y);
      return c[0] > 150 && c[1] < 100;
    };
    // the segment (0,0)→(1,1) is present, the (1,1)→(3,3) gap is not drawn
    let redLeft = 0,
      redRight = 0;
    for (let y = 0; y < 120; y++)
      for (let x = 0; x < 200; x++)
        if (isRed(x, y)) {
          if (x < x0 + (200 - 12 - x0) / 3 + 2) redLeft++;
          else redRight++;
        }
    expect(redLeft).toBeGreaterThan(20);
    expect(redRight).toBeLessThan(12); // only the isolated point (3, 3) marker
    expect(redRight).toBeGreaterThan(0);
  });

  it('writes an SVG polyline per unbroken piece, with title, labels and legend', () => {
    const svg = linePlotSvg(
      [
        { name: 'G <loss>', y: [3, 2, NaN, 1, 0.5] },
        { name: 'D', y: [1, 1, 1, 1, 1] },
      ],
      { title: 'losses', xLabel: 'step', yLabel: 'loss' },
    );
    expect(svg.match(/<polyline/g)!.length).toBe(3);
    expect(svg).toContain('G &lt;loss&gt;');
    expect(svg).toContain('>losses<');
    expect(() => linePlot([{ x: [0, 1], y: [1] }])).toThrow(/linePlot: series 0 \(''\) has 2 x values and 1 y values/);
    expect(() => linePlot([])).toThrow(/'series' must be a non-empty array/);
  });

  it('puts the legend in the corner the curves leave free', () => {
    const legendBox = (svg: string): [number, number] => {
      const m = /<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="[\d.]+" fill="white" stroke="#a0a0a0"\/>/.exec(svg)!;
      return [Number(m[1]), Number(m[2])];
    };
    const rising = legendBox(linePlotSvg([{ name: 'up', y: [0, 1, 2, 3, 4] }], { width: 300, height: 200 }));
    const falling = legendBox(linePlotSvg([{ name: 'down', y: [4, 3, 2, 1, 0] }], { width: 300, height: 200 }));
    expect(rising[0]).toBeLessThan(150); // y = x leaves the top-left corner free
    expect(falling[0]).toBeGreaterThan(150); // y = −x leaves the top-right corner free
    expect(rising[1]).toBeLessThan(100);
    expect(falling[1]).toBeLessThan(100);
    const fixed = legendBox(linePlotSvg([{ name: 'up', y: [0, 1, 2, 3, 4] }], { width: 300, height: 200, legendPosition: 'bottom-right' }));
    expect(fixed[0]).toBeGreaterThan(150);
    expect(fixed[1]).toBeGreaterThan(100);
  });

  it('picks 1-2-5 ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    expect(niceTicks(-1, 1, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(3, 97, 5)).toEqual([20, 40, 60, 80]);
  });
});

describe('figure files', () => {
  it('writes PNGs that decode to the rendered raster and SVGs by extension', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gankit-viz-'));
    try {
      const imgs = tf.randomUniform([4, 6, 6, 3], -1, 1, 'float32', 1);
      await saveImageGrid(imgs, path.join(dir, 'g.png'), { labels: ['a', 'b', 'c', 'd'] });
      const png = PNG.sync.read(await fs.readFile(path.join(dir, 'g.png')));
      const raster = imageGrid(imgs, { labels: ['a', 'b', 'c', 'd'] });
      expect([png.width, png.height]).toEqual([raster.width, raster.height]);
      expect(Buffer.compare(png.data, Buffer.from(raster.data))).toBe(0);
      await saveAlphaStrip(imgs, [0, 1], path.join(dir, 's.png'));
      await saveHeatmap(
        [
          [1, 0],
          [0, 1],
        ],
        path.join(dir, 'h.svg'),
      );
      await saveHeatmap(
        [
          [1, 0],
          [0, 1],
        ],
        path.join(dir, 'h.png'),
      );
      await saveLinePlot([{ y: [1, 2, 3] }], path.join(dir, 'l.svg'));
      expect((await fs.readFile(path.join(dir, 'h.svg'), 'utf8')).startsWith('<svg')).toBe(true);
      expect((await fs.readFile(path.join(dir, 'l.svg'), 'utf8')).includes('<polyline')).toBe(true);
      expect(PNG.sync.read(await fs.readFile(path.join(dir, 'h.png'))).width).toBeGreaterThan(50);
      await expect(saveLinePlot([{ y: [1] }], path.join(dir, 'l.jpg'))).rejects.toThrow(/saveLinePlot: file must end in .svg or .png/);
      imgs.dispose();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
