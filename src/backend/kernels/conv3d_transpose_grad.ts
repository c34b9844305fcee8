/**
 * Gradient of `Conv3DBackpropInputV2`, the kernel behind `tf.conv3dTranspose` (and conv3d's input
 * gradient). Stock tfjs has none ("gradient function not found for Conv3DBackpropInputV2"), so
 * HoloGAN's 3D deconvolutions could not train.
 *
 * dx = conv3dᵀ(dy, W) is linear in dy and W and is the adjoint of conv3d(·, W), so for an upstream
 * gradient g: ∂/∂dy = conv3d(g, W) (same strides/padding) and ∂/∂W = Conv3DBackpropFilter(g, dy),
 * exactly as TensorFlow's `_Conv3DBackpropInputGrad` (tensorflow/python/ops/nn_grad.py) and tfjs's own
 * Conv2DBackpropInput gradient do.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientPatch } from './patch.js';

export const conv3dTransposeGradient: GradientPatch = {
  kernelName: 'Conv3DBackpropInputV2',
  inputsToSave: ['dy', 'filter'],
  gradFunc: (g, saved, attrs) => {
    const [dy, filter] = saved;
    const { strides, pad } = attrs as unknown as { strides: [number, number, number] | number; pad: 'valid' | 'same' };
    const ddx = g as tf.Tensor5D;
    return {
      dy: () => tf.conv3d(ddx, filter as tf.Tensor5D, strides, pad),
      filter: () => tf.engine().runKernel('Conv3DBackpropFilterV2', { x: ddx, dy }, { strides, pad, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
    };
  },
  reason: 'missing: conv3dTranspose could not be trained',
};
