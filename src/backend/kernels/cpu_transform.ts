/**
 * cpu `Transform` (`tf.image.transform`): stock tfjs-backend-cpu 4.22 returns from inside its batch
 * loop, so only item 0 is transformed and items 1… come back as the fill value — silently. Here
 * each item runs through the stock kernel on its own (its per-item arithmetic is correct: TF's
 * `image_ops.h` semantics for every interpolation and fill mode) and the results are stacked.
 * The steerability shift/rotate edits (`src/latent/edits.ts`) depend on it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelPatch } from './patch.js';
import { stockKernel } from './backend_io.js';

function transformEveryItem(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const stock = stockKernel('Transform', 'cpu') ?? tf.getKernel('Transform', 'cpu');
  if (stock == null) throw new Error("gankit kernel Transform: the cpu backend's stock Transform kernel is not registered");
  const { image, transforms } = args.inputs as { image: tf.TensorInfo; transforms: tf.TensorInfo };
  const cpu = args.backend as unknown as MathBackendCPU;
  const [batch, height, width, channels] = image.shape;
  if (batch <= 1) return stock.kernelFunc(args) as tf.TensorInfo;
  const outputShape = (args.attrs?.outputShape as [number, number] | null | undefined) ?? [height, width];
  const inSize = height * width * channels;
  const outSize = outputShape[0] * outputShape[1] * channels;
  const imageValues = cpu.data.get(image.dataId).values as tf.TypedArray;
  const transformValues = cpu.data.get(transforms.dataId).values as tf.TypedArray;
  const out = tf.util.getTypedArrayFromDType(image.dtype as 'float32', batch * outSize);
  for (let b = 0; b < batch; b++) {
    const item = cpu.makeTensorInfo([1, height, width, channels], image.dtype, imageValues.slice(b * inSize, (b + 1) * inSize));
    const row = transforms.shape[0] === 1 ? transformValues.slice(0, 8) : transformValues.slice(b * 8, b * 8 + 8);
    const itemTransform = cpu.makeTensorInfo([1, 8], transforms.dtype, row);
    const result = stock.kernelFunc({ ...args, inputs: { image: item, transforms: itemTransform } }) as tf.TensorInfo;
    out.set(cpu.data.get(result.dataId).values as tf.TypedArray, b * outSize);
    for (const t of [item, itemTransform, result]) cpu.disposeData(t.dataId);
  }
  return cpu.makeTensorInfo([batch, outputShape[0], outputShape[1], channels], image.dtype, out);
}

export const cpuTransformPatch: KernelPatch = {
  kernelName: 'Transform',
  backends: ['cpu'],
  kernelFunc: transformEveryItem as tf.KernelFunc,
  reason: 'wrong on cpu: stock kernel transforms only batch item 0 (returns inside its batch loop); runs it per item',
};
