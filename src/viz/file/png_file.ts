import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../io/atomic.js';
import { alphaStrip, type AlphaStripOptions } from '../alpha_strip.js';
import { heatmap, heatmapSvg, type HeatmapOptions, type MatrixInput } from '../heatmap.js';
import { imageGrid, type ImageGridOptions, type RgbaImage } from '../image_grid.js';
import { linePlot, linePlotSvg, type LinePlotOptions, type Series } from '../line_plot.js';

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

/** Write an SVG document atomically. */
export async function saveSvg(svg: string, file: string): Promise<void> {
  await writeFileAtomic(file, new TextEncoder().encode(svg));
}

/** Tile images [N, H, W, C] into a grid (with optional labels and title) and write it as a PNG file (see {@link imageGrid}). */
export async function saveImageGrid(images: tf.Tensor, file: string, options: ImageGridOptions = {}): Promise<void> {
  await savePng(imageGrid(images, options), file);
}

/** Write an α-strip (rows = samples, columns = α) as a PNG file (see {@link alphaStrip}). */
export async function saveAlphaStrip(images: tf.Tensor, alphas: number[], file: string, options: AlphaStripOptions = {}): Promise<void> {
  await savePng(alphaStrip(images, alphas, options), file);
}

function format(where: string, file: string): 'svg' | 'png' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.svg') return 'svg';
  if (ext === '.png') return 'png';
  throw new Error(`${where}: file must end in .svg or .png; got '${file}'`);
}

/** Write a heat-map with colour bar as SVG or PNG, chosen by the file extension (see {@link heatmap}). */
export async function saveHeatmap(matrix: MatrixInput, file: string, options: HeatmapOptions = {}): Promise<void> {
  if (format('saveHeatmap', file) === 'svg') await saveSvg(heatmapSvg(matrix, options), file);
  else await savePng(heatmap(matrix, options), file);
}

/** Write a line plot as SVG or PNG, chosen by the file extension (see {@link linePlot}). */
export async function saveLinePlot(series: Series[], file: string, options: LinePlotOptions = {}): Promise<void> {
  if (format('saveLinePlot', file) === 'svg') await saveSvg(linePlotSvg(series, options), file);
  else await savePng(linePlot(series, options), file);
}
