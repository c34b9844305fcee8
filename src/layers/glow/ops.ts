import * as tf from '@tensorflow/tfjs-core';

/**
 * Glow tensor ops (NHWC), following openai/glow tfops.py.
 */

/** `squeeze2d`: [B, H, W, C] → [B, H/2, W/2, 4C]; reshape [B, H/2, 2, W/2, 2, C] → transpose [0, 1, 3, 5, 2, 4] (channel = c·4 + dy·2 + dx). */
export function squeeze2d(x: tf.Tensor): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (x.rank !== 4 || h! % 2 !== 0 || w! % 2 !== 0) throw new Error(`squeeze2d: 'x' must be [B, H, W, C] with even H and W; got [${x.shape.join(', ')}]`);
  return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x, [b, h! / 2, 2, w! / 2, 2, c!]), [0, 1, 3, 5, 2, 4]), [b, h! / 2, w! / 2, c! * 4]));
}

/** `unsqueeze2d`, the inverse of {@link squeeze2d}: [B, H, W, 4C] → [B, 2H, 2W, C]. */
export function unsqueeze2d(x: tf.Tensor): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (x.rank !== 4 || c! % 4 !== 0) throw new Error(`unsqueeze2d: 'x' must be [B, H, W, C] with C divisible by 4; got [${x.shape.join(', ')}]`);
  return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x, [b, h, w, c! / 4, 2, 2]), [0, 1, 4, 2, 5, 3]), [b, h! * 2, w! * 2, c! / 4]));
}

/**
 * openai/glow `add_edge_padding` for a 3×3 filter: zero-pad H and W by 1 and append a channel that
 * is 1 on the padded border and 0 inside, so the following 'valid' conv can learn an edge bias.
 */
export function edgePad(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy((): tf.Tensor4D => {
    const [b, h, w] = x.shape;
    const pads: [number, number][] = [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ];
    const border = tf.pad(tf.zeros([b, h, w, 1]), pads, 1);
    return tf.concat([tf.pad(x, pads), border], 3) as tf.Tensor4D;
  });
}

/** Take channels [start, start + size). */
export function channels(x: tf.Tensor4D, start: number, size: number): tf.Tensor4D {
  const [b, h, w] = x.shape;
  return tf.slice(x, [0, 0, 0, start], [b, h, w, size]) as tf.Tensor4D;
}

/** Interleaved channel split (`h[..., 0::2]`, `h[..., 1::2]`) via reshape (tfjs has no strided-slice gradient we rely on). */
export function splitInterleaved(x: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
  const [b, h, w, c] = x.shape;
  const r = tf.reshape(x, [b, h, w, c / 2, 2]);
  const even = tf.reshape(tf.slice(r, [0, 0, 0, 0, 0], [b, h, w, c / 2, 1]), [b, h, w, c / 2]) as tf.Tensor4D;
  const odd = tf.reshape(tf.slice(r, [0, 0, 0, 0, 1], [b, h, w, c / 2, 1]), [b, h, w, c / 2]) as tf.Tensor4D;
  return [even, odd];
}

/** First half / second half of the channels (rosinality/glow-pytorch `chunk(2, 1)`). */
export function splitChunked(x: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
  const c = x.shape[3];
  return [channels(x, 0, c / 2), channels(x, c / 2, c / 2)];
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Σ over H, W, C of log N(x; mean, exp(logs)²) — openai/glow `gaussian_diag(...).logp`. */
export function gaussianLogp(x: tf.Tensor4D, mean: tf.Tensor, logs: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const d = tf.sub(x, mean);
    const lp = tf.mul(-0.5, tf.add(tf.add(LOG_2PI, tf.mul(2, logs)), tf.mul(tf.square(d), tf.exp(tf.mul(-2, logs)))));
    return tf.sum(lp, [1, 2, 3]) as tf.Tensor1D;
  });
}
