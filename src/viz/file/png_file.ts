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
  const ok = image != null && Number.isInteger(image.width) && Number.isInteger(image.height) && image.width > 0 && image.height > 0;
  if (!ok) throw new Error(`encodePng: 'image' must have positive integer width and height; got ${image == null ? String(image) : `${image.width} × ${image.height}`}`);
  if (!((image.data as unknown) instanceof Uint8Array)) throw new Error(`encodePng: 'image.data' must be a Uint8Array; got ${typeof image.data}`);
  if (image.data.length !== image.width * image.height * 4) {
    throw new Error(`encodePng: 'image' data must hold width·height·4 = ${image.width * image.height * 4} bytes (RGBA); got ${image.data.length}`);
  }
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

/** Write an RGBA raster to a PNG file atomically. */
export async function savePng(image: RgbaImage, file: string): Promise<void> {
  assertFile('savePng', file);
  await writeFileAtomic(file, encodePng(image));
}

/** Write an SVG document atomically. */
export async function saveSvg(svg: string, file: string): Promise<void> {
  assertFile('saveSvg', file);
  await writeFileAtomic(file, new TextEncoder().encode(svg));
}

/** Tile images [N, H, W, C] into a grid (with optional labels and title) and write it as a PNG file (see {@link imageGrid}). */
export async function saveImageGrid(images: tf.Tensor, file: string, options: ImageGridOptions = {}): Promise<void> {
  assertFile('saveImageGrid', file);
  await savePng(imageGrid(images, options), file);
}

/** Write an α-strip (rows = samples, columns = α) as a PNG file (see {@link alphaStrip}). */
export async function saveAlphaStrip(images: tf.Tensor, alphas: number[], file: string, options: AlphaStripOptions = {}): Promise<void> {
  assertFile('saveAlphaStrip', file);
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

/** A target file must be a non-empty path (checked before any drawing, so the error names the writer). */
function assertFile(where: string, file: unknown): void {
  if (typeof file !== 'string' || file.length === 0) throw new Error(`${where}: 'file' must be a non-empty path; got ${JSON.stringify(file)}`);
}
