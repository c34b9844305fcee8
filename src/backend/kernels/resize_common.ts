/**
 * What tfjs's resize kernels (tfjs-backend-cpu/src/kernels/ResizeBilinear.ts and
 * ResizeNearestNeighbor.ts) share, used by gankit's exact-adjoint gradients of both.
 */
import * as tf from '@tensorflow/tfjs-core';
import { allocate, f32 } from './backend_io.js';

/** Source/output scale along one axis: (in−1)/(out−1) with `alignCorners` (and out > 1), else in/out. */
export function resizeRatio(inSize: number, outSize: number, alignCorners: boolean): number {
  const effIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  return effIn / effOut;
}

/** Inputs, attributes and a zeroed dx [N, H, W, C] of a `Resize*Grad` kernel call (`images`, `dy`). */
export function resizeGradArgs({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }) {
  const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners, halfPixelCenters } = attrs as unknown as { alignCorners: boolean; halfPixelCenters: boolean };
  const [N, H, W, C] = images.shape;
  const [, Ho, Wo] = dy.shape;
  const out = allocate(backend, [N, H, W, C]);
  const dx = f32(backend, out);
  const g = f32(backend, dy);
  return { alignCorners, halfPixelCenters, N, H, W, C, Ho, Wo, out, dx, g };
}
