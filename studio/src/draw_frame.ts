/**
 * Draw one frame: the image onto the canvas and the readout values back to the page, with a single
 * GPU → CPU read. Each read-back is a sync point, and on webgl (SwiftShader above all) the round
 * trips, not the arithmetic, dominate a slider update; packing the pixels and every readout into
 * one tensor makes it one round trip instead of one per output.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Draw `image` ([h, w, 3] in [0, 1]) on `canvas` and return each readout's values. Disposes nothing. */
export async function drawFrame(canvas: HTMLCanvasElement, image: tf.Tensor3D, readouts: tf.Tensor[]): Promise<Float32Array[]> {
  const packed = tf.tidy(() => tf.concat([tf.reshape(image, [-1]), ...readouts.map((r) => tf.reshape(r, [-1]))]));
  let values: Float32Array;
  try {
    values = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  const [h, w] = image.shape;
  if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, { width: w, height: h });
  const pixels = new ImageData(w, h);
  for (let i = 0, j = 0; i < w * h; i++, j += 3) {
    pixels.data[i * 4] = values[j] * 255;
    pixels.data[i * 4 + 1] = values[j + 1] * 255;
    pixels.data[i * 4 + 2] = values[j + 2] * 255;
    pixels.data[i * 4 + 3] = 255;
  }
  // a CPU-backed 2D canvas: the pixels arrive on the CPU anyway, and a GPU-backed one would upload
  // them again (on SwiftShader, a second trip through the emulated GPU per frame)
  canvas.getContext('2d', { willReadFrequently: true })!.putImageData(pixels, 0, 0);
  const out: Float32Array[] = [];
  let offset = h * w * 3;
  for (const r of readouts) {
    out.push(values.subarray(offset, offset + r.size));
    offset += r.size;
  }
  return out;
}
