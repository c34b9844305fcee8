import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger, assertRank } from '../util/validate.js';
import { applyActivation, initializerConfig, singleInput, toInitializer, type Initializer, type LayerArgs } from './common.js';

export interface StyleMappingArgs extends LayerArgs {
  /** Channels C of the feature map the style modulates; the layer outputs scale and bias of [B, C]. */
  channels: number;
  /** `'relu'` (reference default) or `'leakyRelu'` (the reference's `act != "relu"` branch, α 0.2). */
  activation?: 'relu' | 'leakyRelu';
  /** Default N(0, 0.02) (reference). */
  kernelInitializer?: Initializer;
}

/**
 * HoloGAN's z → (scale, bias) mapping (`model_HoloGAN.py`, `z_mapping_function`): one linear layer
 * `out = act(z·W + b)` with W ∈ R^{z_dim × 2C} (init N(0, 0.02), bias 0), the activation applied to
 * the **whole** output (so with ReLU both scale and bias are ≥ 0), then split
 * `scale = out[:, :C]`, `bias = out[:, C:]`. Outputs `[scale, bias]`, each [B, C], for {@link AdaIN}.
 */
export class StyleMapping extends tfl.layers.Layer {
  static className = 'GankitStyleMapping';
  readonly channels: number;
  readonly activation: 'relu' | 'leakyRelu';
  private readonly kernelInitializer: Initializer;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: StyleMappingArgs) {
    super(args);
    assertPositiveInteger('StyleMapping', 'channels', args.channels);
    this.channels = args.channels;
    this.activation = args.activation ?? 'relu';
    if (this.activation !== 'relu' && this.activation !== 'leakyRelu') {
      throw new Error(`StyleMapping: 'activation' must be 'relu' or 'leakyRelu'; got '${String(this.activation)}'`);
    }
    this.kernelInitializer = toInitializer(args.kernelInitializer, () => tfl.initializers.randomNormal({ mean: 0, stddev: 0.02 }));
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = inputShape as tfl.Shape;
    const zDim = shape[shape.length - 1];
    if (shape.length !== 2 || zDim == null) throw new Error(`StyleMapping: input must be [B, zDim]; got [${shape.join(', ')}]`);
    this.kernel = this.addWeight('kernel', [zDim, 2 * this.channels], 'float32', this.kernelInitializer);
    this.bias = this.addWeight('bias', [2 * this.channels], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape[] {
    const b = (inputShape as tfl.Shape)[0];
    return [
      [b, this.channels],
      [b, this.channels],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const z = singleInput('StyleMapping', inputs);
    assertRank('StyleMapping', 'z', z, 2);
    const zDim = this.kernel!.shape[0];
    if (z.shape[1] !== zDim) throw new Error(`StyleMapping: 'z' must have shape [B, ${zDim}]; got [${z.shape.join(', ')}]`);
    return tf.tidy(() => {
      const out = applyActivation(tf.add(tf.matMul(z, this.kernel!.read()), this.bias!.read()), this.activation, 0.2);
      const [batch] = z.shape;
      return [tf.slice(out, [0, 0], [batch, this.channels]), tf.slice(out, [0, this.channels], [batch, this.channels])];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), channels: this.channels, activation: this.activation, kernelInitializer: initializerConfig(this.kernelInitializer) };
  }
}
