import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type FlowOut, LOGSCALE_FACTOR, type MakeWeight } from './flow_common.js';

/**
 * Actnorm (openai/glow tfops.py `actnorm`): y = (x + b)·exp(logs), logs = logs_param·3; data-dependent
 * init b = −mean, logs = log(1/(√mean((x + b)²) + 1e-6)) over batch and space; log-det H·W·Σ logs.
 */
export class ActNorm {
  private readonly b: tfl.LayerVariable;
  private readonly logsParam: tfl.LayerVariable;
  constructor(
    make: MakeWeight,
    prefix: string,
    readonly numChannels: number,
  ) {
    this.b = make(`${prefix}/b`, [numChannels], null);
    this.logsParam = make(`${prefix}/logs`, [numChannels], null);
  }
  logs(): tf.Tensor1D {
    return tf.mul(this.logsParam.read(), LOGSCALE_FACTOR) as tf.Tensor1D;
  }
  /** Data-dependent initialisation from an activation batch. */
  initFrom(x: tf.Tensor4D): void {
    tf.tidy(() => {
      const mean = tf.mean(x, [0, 1, 2]);
      const b = tf.neg(mean);
      const variance = tf.mean(tf.square(tf.add(x, b)), [0, 1, 2]);
      const logs = tf.log(tf.div(1, tf.add(tf.sqrt(variance), 1e-6)));
      this.b.write(b);
      this.logsParam.write(tf.div(logs, LOGSCALE_FACTOR));
    });
  }
  forward(x: tf.Tensor4D): FlowOut {
    const logs = this.logs();
    const y = tf.mul(tf.add(x, this.b.read()), tf.exp(logs)) as tf.Tensor4D;
    return { y, logdet: tf.mul(tf.sum(logs), x.shape[1] * x.shape[2]) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    return tf.sub(tf.mul(y, tf.exp(tf.neg(this.logs()))), this.b.read()) as tf.Tensor4D;
  }
}
