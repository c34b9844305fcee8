/**
 * PNG export: the current image, and an α-strip — the current sample drawn at evenly spaced
 * values of one slider, side by side — both scaled up without smoothing so the pixels stay sharp.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Scale factor of exported images (a 32-px face becomes 256 px). */
export const EXPORT_SCALE = 8;

/** Draw `images` ([h, w, 3] in [0, 1]) side by side onto a new canvas, `scale`× larger. */
export async function stripCanvas(images: tf.Tensor3D[], scale = EXPORT_SCALE): Promise<HTMLCanvasElement> {
  if (images.length === 0) throw new Error('studio: an α-strip needs at least one image');
  const [h, w] = images[0].shape;
  const out = document.createElement('canvas');
  out.width = w * scale * images.length;
  out.height = h * scale;
  const ctx = out.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  const tile = document.createElement('canvas');
  for (let i = 0; i < images.length; i++) {
    await tf.browser.toPixels(images[i], tile);
    ctx.drawImage(tile, i * w * scale, 0, w * scale, h * scale);
  }
  return out;
}

/** A canvas's pixels, `scale`× larger, as a new canvas. */
export function scaledCopy(canvas: HTMLCanvasElement, scale = EXPORT_SCALE): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = canvas.width * scale;
  out.height = canvas.height * scale;
  const ctx = out.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(canvas, 0, 0, out.width, out.height);
  return out;
}

/** Offer `canvas` as a PNG download named `fileName`. */
export async function downloadPng(canvas: HTMLCanvasElement, fileName: string): Promise<void> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('studio: the browser could not encode the PNG');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
