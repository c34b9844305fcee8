import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The base arguments every tfjs-layers layer accepts (name, trainable, dtype, inputShape, …). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/** Activations the gankit layers accept by name. */
export type GankitActivation = 'linear' | 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid';

/**
 * `leakyRelu(x, α) = max(x, αx)` written as `½(1+α)·x + ½(1−α)·|x|`: the same function (and the
 * same subgradient α at 0), but built from ops whose gradients are themselves differentiable on
 * stock tfjs, so a gradient penalty can differentiate through it twice without extra kernels.
 */
export function leakyReluTwice(x: tf.Tensor, alpha: number): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(x, 0.5 * (1 + alpha)), tf.mul(tf.abs(x), 0.5 * (1 - alpha))));
}

export function applyActivation(x: tf.Tensor, activation: GankitActivation, alpha = 0.2): tf.Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return leakyReluTwice(x, alpha);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    default:
      throw new Error(`gankit layers: unknown activation '${String(activation)}'; expected linear, relu, leakyRelu, tanh or sigmoid`);
  }
}

export function checkActivation(where: string, activation: string): GankitActivation {
  if (!['linear', 'relu', 'leakyRelu', 'tanh', 'sigmoid'].includes(activation)) {
    throw new Error(`${where}: 'activation' must be one of linear, relu, leakyRelu, tanh, sigmoid; got '${activation}'`);
  }
  return activation as GankitActivation;
}

/** Single-tensor input of a layer's call (throws naming the layer when given a list). */
export function singleInput(where: string, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new Error(`${where}: expects one input tensor; got ${inputs.length}`);
    return inputs[0];
  }
  return inputs;
}

/** The single input shape of a layer's build / computeOutputShape (throws naming the layer when given several). */
export function singleInputShape(where: string, inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
  if (Array.isArray(inputShape[0])) {
    if (inputShape.length !== 1) throw new Error(`${where}: expects one input tensor; got ${inputShape.length}`);
    return inputShape[0] as tfl.Shape;
  }
  return inputShape as tfl.Shape;
}

/** Multi-tensor input of a layer's call. */
export function listInput(where: string, inputs: tf.Tensor | tf.Tensor[], n: number, names: string): tf.Tensor[] {
  if (!Array.isArray(inputs) || inputs.length !== n) {
    throw new Error(`${where}: expects ${n} inputs [${names}]; got ${Array.isArray(inputs) ? inputs.length : 1}`);
  }
  return inputs;
}

/** A tfjs-layers initializer (the class itself is not exported by tfjs-layers). */
export type Initializer = ReturnType<typeof tfl.initializers.randomNormal>;

/** Serialise an initializer for getConfig (the `{className, config}` form tfjs-layers uses). */
export function initializerConfig(init: Initializer): tf.serialization.ConfigDict {
  return { className: init.getClassName(), config: init.getConfig() };
}

/**
 * An initializer from an instance or a serialised `{className, config}` (the inverse of
 * {@link initializerConfig}, looked up in tfjs's serialization registry); `fallback()` when absent.
 */
export function toInitializer(init: unknown, fallback: () => Initializer): Initializer {
  if (init == null) return fallback();
  if (typeof (init as Initializer).apply === 'function' && typeof (init as Initializer).getClassName === 'function') return init as Initializer;
  const spec = init as { className?: string; config?: tf.serialization.ConfigDict };
  if (typeof spec.className === 'string') {
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[spec.className];
    if (entry) return entry[1](entry[0], spec.config ?? {}) as unknown as Initializer;
  }
  throw new Error(`gankit layers: cannot interpret initializer ${JSON.stringify(init)}`);
}

/** A conv layer's tf padding mode, `'same'` or `'valid'` (throws naming the layer otherwise). */
export function checkConvPadding(where: string, padding: unknown): 'same' | 'valid' {
  if (padding !== 'same' && padding !== 'valid') throw new Error(`${where}: 'padding' must be 'same' or 'valid'; got '${String(padding)}'`);
  return padding;
}

/** The known channel count C of a conv layer's [B, H, W, C] build input (throws naming the layer otherwise). */
export function nhwcChannels(where: string, inputShape: tfl.Shape | tfl.Shape[]): number {
  const s = inputShape as tfl.Shape;
  if (s.length !== 4 || s[3] == null) throw new Error(`${where}: input must be [B, H, W, C] with known C; got [${s.join(', ')}]`);
  return s[3];
}

/**
 * Output size along one spatial axis of a strided conv: tf `'same'` (⌈n/s⌉), `'valid'`
 * (⌊(n−k)/s⌋+1) or an explicit symmetric zero padding p (PyTorch, ⌊(n+2p−k)/s⌋+1); null stays null.
 */
export function convOutputSize(n: number | null, kernelSize: number, strides: number, padding: 'same' | 'valid' | number): number | null {
  if (n == null) return null;
  if (padding === 'same') return Math.ceil(n / strides);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((n + 2 * p - kernelSize) / strides) + 1;
}

/** [B, H', W', filters] of a 2-D conv over a [B, H, W, C] input (see {@link convOutputSize}). */
export function conv2dOutputShape(inputShape: tfl.Shape | tfl.Shape[], kernelSize: number, strides: number, padding: 'same' | 'valid' | number, filters: number): tfl.Shape {
  const [b, h, w] = inputShape as tfl.Shape;
  return [b, convOutputSize(h, kernelSize, strides, padding), convOutputSize(w, kernelSize, strides, padding), filters];
}

/** Throws naming the layer and argument unless the last axis of `x` has `channels` entries. */
export function assertChannels(where: string, arg: string, x: tf.Tensor, channels: number | null): void {
  if (x.shape[x.rank - 1] !== channels) throw new Error(`${where}: '${arg}' must have ${channels} channels; got shape [${x.shape.join(', ')}]`);
}
