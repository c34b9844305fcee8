import * as tf from '@tensorflow/tfjs-core';
import { assertRank } from '../util/validate.js';
import { drawText, GLYPH_HEIGHT, GLYPH_WIDTH } from './font.js';
import type { RgbaImage } from './rgba_image.js';

export type { RgbaImage } from './rgba_image.js';

export interface ImageGridOptions {
  /** Columns in the grid. Default: ⌈√N⌉. */
  cols?: number;
  /** Pixels between tiles. Default 2. */
  padding?: number;
  /** Value range of the input images. Default [−1, 1] (tanh generators). */
  range?: [number, number];
  /** Background grey level 0..255 for padding. Default 255. */
  background?: number;
  /** One label per image, written under its tile (5×7 bitmap font, cut to the tile width). */
  labels?: string[];
  /** A title line above the grid. */
  title?: string;
  /** Integer text scale. Default 1. */
  textScale?: number;
}

/** Read one image [H, W, C] of a batch into 8-bit RGB rows (C = 1 is broadcast to grey). */
export function tileToRgb(values: ArrayLike<number>, k: number, h: number, w: number, c: number, range: [number, number]): Uint8Array {
  const out = new Uint8Array(h * w * 3);
  const [lo, hi] = range;
  const scale = 255 / (hi - lo);
  for (let p = 0; p < h * w; p++) {
    const src = (k * h * w + p) * c;
    for (let ch = 0; ch < 3; ch++) {
      const v = (values[src + (c === 1 ? 0 : ch)] - lo) * scale;
      out[p * 3 + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
  return out;
}

/** Check a [N, H, W, C] image batch (C = 1 or 3) and a value range; returns the shape. */
export function checkImages(where: string, images: tf.Tensor, range: [number, number]): [number, number, number, number] {
  assertRank(where, 'images', images, 4);
  const [n, h, w, c] = images.shape as [number, number, number, number];
  if (c !== 1 && c !== 3) throw new Error(`${where}: 'images' must have 1 or 3 channels; got shape [${images.shape.join(', ')}]`);
  if (n === 0 || h === 0 || w === 0) throw new Error(`${where}: 'images' must hold at least one non-empty image; got shape [${images.shape.join(', ')}]`);
  if (!(range[1] > range[0])) throw new Error(`${where}: 'range' must be [low, high] with low < high; got [${range.join(', ')}]`);
  return [n, h, w, c];
}

/**
 * Tile a batch of images [N, H, W, C] (C = 1 or 3) into one RGBA raster, row by row, optionally
 * with a label under each tile and a title. Values are mapped from `range` to 0..255 and clipped.
 */
export function imageGrid(images: tf.Tensor4D | tf.Tensor, options: ImageGridOptions = {}): RgbaImage {
  const { padding = 2, range = [-1, 1], background = 255, labels, title, textScale = 1 } = options;
  const [n, h, w, c] = checkImages('imageGrid', images, range);
  const cols = options.cols ?? Math.ceil(Math.sqrt(n));
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`imageGrid: 'cols' must be a positive integer; got ${cols}`);
  if (labels !== undefined && labels.length !== n) throw new Error(`imageGrid: 'labels' must have one entry per image (${n}); got ${labels.length}`);
  const rows = Math.max(1, Math.ceil(n / cols));
  const labelH = labels ? GLYPH_HEIGHT * textScale + 2 : 0;
  const titleH = title ? GLYPH_HEIGHT * textScale + 4 : 0;
  const width = cols * w + (cols + 1) * padding;
  const height = titleH + rows * (h + labelH) + (rows + 1) * padding;
  const data = new Uint8Array(width * height * 4).fill(background);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  const img: RgbaImage = { width, height, data };
  const values = images.dataSync();
  assertFinitePixels('imageGrid', values);
  const ink: [number, number, number] = background > 128 ? [0, 0, 0] : [255, 255, 255];
  if (title) drawText(img, title, width / 2, 2, { color: ink, scale: textScale, align: 'center' });
  const maxChars = Math.max(1, Math.floor((w + padding) / (GLYPH_WIDTH * textScale)));
  for (let k = 0; k < n; k++) {
    const ox = padding + (k % cols) * (w + padding);
    const oy = titleH + padding + Math.floor(k / cols) * (h + labelH + padding);
    const rgb = tileToRgb(values, k, h, w, c, range);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const s = (y * w + x) * 3,
          d = ((oy + y) * width + ox + x) * 4;
        data[d] = rgb[s];
        data[d + 1] = rgb[s + 1];
        data[d + 2] = rgb[s + 2];
      }
    }
    if (labels) drawText(img, labels[k].slice(0, maxChars), ox + w / 2, oy + h + 2, { color: ink, scale: textScale, align: 'center' });
  }
  return img;
}

/** A NaN pixel would be drawn black and hide a diverged generator: refuse it (the values are on the host already). */
export function assertFinitePixels(where: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${where}: 'images' must be finite; element ${i} is ${values[i]}`);
  }
}
