import * as tf from '@tensorflow/tfjs-core';
import { assertRank } from '../util/validate.js';

/** An 8-bit RGBA raster (row-major, 4 bytes per pixel) — what PNG encoders take. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface ImageGridOptions {
  /** Columns in the grid. Default: ⌈√N⌉. */
  cols?: number;
  /** Pixels between tiles. Default 2. */
  padding?: number;
  /** Value range of the input images. Default [−1, 1] (tanh generators). */
  range?: [number, number];
  /** Background grey level 0..255 for padding. Default 255. */
  background?: number;
}

/**
 * Tile a batch of images [N, H, W, C] (C = 1 or 3) into one RGBA raster, row by row.
 * Values are mapped from `range` to 0..255 and clipped.
 */
export function imageGrid(images: tf.Tensor4D | tf.Tensor, options: ImageGridOptions = {}): RgbaImage {
  assertRank('imageGrid', 'images', images, 4);
  const [n, h, w, c] = images.shape as [number, number, number, number];
  if (c !== 1 && c !== 3) throw new Error(`imageGrid: 'images' must have 1 or 3 channels; got shape [${images.shape.join(', ')}]`);
  const { cols = Math.ceil(Math.sqrt(n)), padding = 2, range = [-1, 1], background = 255 } = options;
  const rows = Math.ceil(n / cols);
  const width = cols * w + (cols + 1) * padding;
  const height = rows * h + (rows + 1) * padding;
  const data = new Uint8Array(width * height * 4).fill(background);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  const values = images.dataSync();
  const [lo, hi] = range;
  const scale = 255 / (hi - lo);
  for (let k = 0; k < n; k++) {
    const ox = padding + (k % cols) * (w + padding);
    const oy = padding + Math.floor(k / cols) * (h + padding);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = ((k * h + y) * w + x) * c;
        const dst = ((oy + y) * width + ox + x) * 4;
        for (let ch = 0; ch < 3; ch++) {
          const v = (values[src + (c === 1 ? 0 : ch)] - lo) * scale;
          data[dst + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
        }
      }
    }
  }
  return { width, height, data };
}
