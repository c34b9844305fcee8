import * as tf from '@tensorflow/tfjs-core';
import { brightnessEdit, colorEdit, rotateEdit, shiftEdit, zoomEdit } from '../../../src/latent/index.js';
import type { ParitySpec } from '../harness.js';
import { uniform } from '../inputs.js';

/**
 * The latent tools that run as tensor ops on the device: the steerability image edits (the walk's
 * training targets and masks) and their gradients w.r.t. the images. The float64 host tools (PCA,
 * SVM boundaries, regression axes, Gram–Schmidt, slerp, applyLinearWalk) read their inputs once and
 * compute in JavaScript, the same numbers on every backend by construction.
 */
/**
 * The edit is a training target (the walk's loss compares G(z + αw) with edit(G(z)) as a constant,
 * as the reference does), so its value and mask are compared, not a gradient through it.
 */
function editSpec(name: string, edit: (x: tf.Tensor4D) => { target: tf.Tensor; mask: tf.Tensor }): ParitySpec {
  return {
    name: `steerability ${name}: target and mask`,
    run: () => {
      const { target, mask } = edit(uniform([2, 16, 16, 3], 60) as tf.Tensor4D);
      return { target, mask };
    },
  };
}

export const latentSpecs: ParitySpec[] = [
  editSpec('zoom ×1.6', (x) => zoomEdit(x, 1.6)),
  editSpec('zoom ×0.6', (x) => zoomEdit(x, 0.6)),
  editSpec('shift by 3 px', (x) => shiftEdit(x, 3, 'y')),
  editSpec('rotate 30°', (x) => rotateEdit(x, 30)),
  editSpec('colour', (x) => colorEdit(x, [0.2, -0.1, 0.3])),
  editSpec('brightness', (x) => brightnessEdit(x, [0.3, -0.2])),
];
