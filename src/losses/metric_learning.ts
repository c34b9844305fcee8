/**
 * Metric-learning losses for identity embeddings (the identity judge of the reproductions).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface MarginOption {
  /** The margin (tripletLoss: default 0.2 as FaceNet; contrastiveLoss: default 1). */
  margin?: number;
}

function sameShape2(where: string, names: string[], ts: tf.Tensor[]): void {
  ts.forEach((t, i) => {
    if (t.rank !== 2 || !tf.util.arraysEqual(t.shape, ts[0].shape)) {
      throw new Error(`${where}: '${names[i]}' must be [B, D] like '${names[0]}' [${ts[0].shape.join(', ')}]; got [${t.shape.join(', ')}]`);
    }
  });
}

/**
 * Triplet loss (FaceNet eq. 1): mean_i max(‖a_i − p_i‖² − ‖a_i − n_i‖² + margin, 0).
 * Schroff, Kalenichenko, Philbin 2015; default margin 0.2 as FaceNet.
 */
export function tripletLoss(anchor: tf.Tensor, positive: tf.Tensor, negative: tf.Tensor, options: MarginOption | number = {}): tf.Scalar {
  const margin = typeof options === 'number' ? options : (options.margin ?? 0.2); // a number: the deprecated positional margin
  assertMargin('tripletLoss', margin);
  sameShape2('tripletLoss', ['anchor', 'positive', 'negative'], [anchor, positive, negative]);
  return tf.tidy(() => {
    const dp = tf.sum(tf.square(tf.sub(anchor, positive)), 1);
    const dn = tf.sum(tf.square(tf.sub(anchor, negative)), 1);
    return tf.mean(tf.relu(tf.add(tf.sub(dp, dn), margin))) as tf.Scalar;
  });
}

/**
 * Contrastive loss (Hadsell, Chopra, LeCun 2006 eq. 4, with ½ factors dropped):
 * mean_i [ y_i·d_i² + (1 − y_i)·max(margin − d_i, 0)² ], d_i = ‖e1_i − e2_i‖, y_i = 1 for the same identity.
 */
export function contrastiveLoss(e1: tf.Tensor, e2: tf.Tensor, same: tf.Tensor, options: MarginOption | number = {}): tf.Scalar {
  const margin = typeof options === 'number' ? options : (options.margin ?? 1); // a number: the deprecated positional margin
  assertMargin('contrastiveLoss', margin);
  sameShape2('contrastiveLoss', ['e1', 'e2'], [e1, e2]);
  if (same.rank !== 1 || same.shape[0] !== e1.shape[0]) throw new Error(`contrastiveLoss: 'same' must be [${e1.shape[0]}] (1 = same identity, 0 = different); got [${same.shape.join(', ')}]`);
  return tf.tidy(() => {
    const d2 = tf.sum(tf.square(tf.sub(e1, e2)), 1);
    const d = tf.sqrt(tf.add(d2, 1e-12));
    const neg = tf.square(tf.relu(tf.sub(margin, d)));
    return tf.mean(tf.add(tf.mul(same, d2), tf.mul(tf.sub(1, same), neg))) as tf.Scalar;
  });
}

/** A margin is a distance: finite and ≥ 0 (a negative one makes every triplet count as solved). */
function assertMargin(where: string, margin: number): void {
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0) throw new Error(`${where}: 'margin' must be a finite number ≥ 0; got ${String(margin)}`);
}
