import * as tf from '@tensorflow/tfjs-core';
import { drawText, GLYPH_HEIGHT, textWidth } from './font.js';
import { checkImages, tileToRgb, type RgbaImage } from './image_grid.js';
import { createImage } from './raster.js';

export interface AlphaStripOptions {
  /** Value range of the images. Default [−1, 1]. */
  range?: [number, number];
  /** Pixels between tiles. Default 2. */
  padding?: number;
  /** One label per row (sample), written left of the row. */
  rowLabels?: string[];
  title?: string;
  /** Column header for each α. Default `α=<value>`. */
  formatAlpha?: (alpha: number) => string;
  /** Integer text scale. Default 1. */
  textScale?: number;
}

/**
 * A latent-walk figure: rows = samples, columns = step sizes α, each column headed by its α and
 * each row optionally labelled. `images` is [R, A, H, W, C] or [R·A, H, W, C] in row-major order
 * (all α of sample 0 first), with A = alphas.length.
 */
export function alphaStrip(images: tf.Tensor, alphas: number[], options: AlphaStripOptions = {}): RgbaImage {
  const where = 'alphaStrip';
  const { range = [-1, 1], padding = 2, rowLabels, title, textScale = 1 } = options;
  const format = options.formatAlpha ?? ((v: number): string => `α=${Number(v.toPrecision(3))}`.replace('-', '−'));
  if (!Array.isArray(alphas) || alphas.length === 0) throw new Error(`${where}: 'alphas' must be a non-empty array`);
  const a = alphas.length;
  const flat = images.rank === 5 ? tf.reshape(images, [images.shape[0] * images.shape[1]!, ...images.shape.slice(2)]) : images;
  try {
    if (images.rank === 5 && images.shape[1] !== a) throw new Error(`${where}: 'images' has ${images.shape[1]} columns but ${a} alphas were given`);
    const [n, h, w, c] = checkImages(where, flat, range);
    if (n % a !== 0) throw new Error(`${where}: 'alphas' (${a} values) must divide the number of images evenly; got ${n} images`);
    const rows = n / a;
    if (rowLabels !== undefined && rowLabels.length !== rows) throw new Error(`${where}: 'rowLabels' must have ${rows} entries; got ${rowLabels.length}`);
    const headers = alphas.map(format);
    const th = GLYPH_HEIGHT * textScale;
    const left = rowLabels ? Math.max(...rowLabels.map((l) => textWidth(l, textScale))) + 2 * padding + 2 : 0;
    const titleH = title ? th + 4 : 0;
    const headH = th + 4;
    const width = left + a * w + (a + 1) * padding;
    const height = titleH + headH + rows * h + (rows + 1) * padding;
    const img = createImage(Math.max(width, title ? textWidth(title, textScale) + 4 : 1), height);
    if (title) drawText(img, title, img.width / 2, 2, { scale: textScale, align: 'center' });
    const values = flat.dataSync();
    for (let j = 0; j < a; j++) {
      const cx = left + padding + j * (w + padding) + w / 2;
      drawText(img, headers[j], cx, titleH + 2, { scale: textScale, align: 'center', color: alphas[j] === 0 ? [200, 0, 0] : [0, 0, 0] });
    }
    for (let r = 0; r < rows; r++) {
      const oy = titleH + headH + padding + r * (h + padding);
      if (rowLabels) drawText(img, rowLabels[r], left - padding - 1, oy + h / 2 - th / 2, { scale: textScale, align: 'right' });
      for (let j = 0; j < a; j++) {
        const ox = left + padding + j * (w + padding);
        const rgb = tileToRgb(values, r * a + j, h, w, c, range);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const s = (y * w + x) * 3,
              d = ((oy + y) * img.width + ox + x) * 4;
            img.data[d] = rgb[s];
            img.data[d + 1] = rgb[s + 1];
            img.data[d + 2] = rgb[s + 2];
          }
        }
      }
    }
    return img;
  } finally {
    if (flat !== images) flat.dispose();
  }
}
