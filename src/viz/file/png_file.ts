import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { writeFileAtomic } from '../../io/atomic.js';
import { imageGrid, type ImageGridOptions, type RgbaImage } from '../image_grid.js';

/** Encode an RGBA raster as PNG bytes. */
export function encodePng(image: RgbaImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

/** Write an RGBA raster to a PNG file atomically. */
export async function savePng(image: RgbaImage, file: string): Promise<void> {
  await writeFileAtomic(file, encodePng(image));
}

/** Tile images [N, H, W, C] into a grid and write it as a PNG file (see {@link imageGrid}). */
export async function saveImageGrid(images: tf.Tensor, file: string, options: ImageGridOptions = {}): Promise<void> {
  await savePng(imageGrid(images, options), file);
}
