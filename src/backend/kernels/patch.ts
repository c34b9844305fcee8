/** The shapes of gankit's kernel and gradient patches (listed in ./index.ts). */
import type * as tf from '@tensorflow/tfjs-core';

/** A kernel that replaces or adds a backend kernel. */
export interface KernelPatch {
  /** The tfjs kernel name, e.g. `'Conv2DBackpropFilter'`. */
  kernelName: string;
  /** Backends this implementation is registered for. */
  backends: readonly string[];
  /** The kernel implementation (tfjs `KernelFunc`). */
  kernelFunc: tf.KernelFunc;
  /** Why the stock kernel is replaced (missing, slow or wrong) — shown by `describeKernelPatches`. */
  reason: string;
}

/** A gradient that is missing from (or wrong in) stock tfjs. Gradients are backend-independent. */
export interface GradientPatch extends tf.GradConfig {
  reason: string;
}
