import * as tf from '@tensorflow/tfjs-core';

/**
 * sin and cos to float32 precision (≈ 1e-7 absolute) from multiplies and adds only.
 *
 * Why not `tf.sin`/`tf.cos`: on GPU backends they are the shading language's built-ins, which WGSL
 * and Vulkan only require to be within 2⁻¹¹ ≈ 5e-4 absolute on [−π, π] (SwiftShader is at that
 * bound). HoloGAN's sample coordinates multiply the rotation by the grid radius (8–32 voxels), so
 * that becomes a 1e-2 voxel error, and the reference edge rule turns errors near the last voxel
 * into jumps to 0. IEEE multiply and add are exact to rounding on every backend, so a polynomial
 * gives the same answer everywhere.
 *
 * Range reduction: r = x − 2π·round(x / 2π) with 2π split in two float32 parts (Cody–Waite),
 * then Taylor series to x¹⁷/17! and x¹⁶/16! on |r| ≤ π (truncation < 3e-8), in Horner form.
 */
export function preciseSinCos(x: tf.Tensor): { sin: tf.Tensor; cos: tf.Tensor } {
  return tf.tidy(() => {
    const twoPiHi = Math.fround(2 * Math.PI);
    const twoPiLo = 2 * Math.PI - twoPiHi;
    const k = tf.round(tf.mul(x, 1 / (2 * Math.PI)));
    const r = tf.sub(tf.sub(x, tf.mul(k, twoPiHi)), tf.mul(k, twoPiLo));
    const r2 = tf.mul(r, r);
    // sin r = r·(1 − r²/3! + r⁴/5! − …), cos r = 1 − r²/2! + r⁴/4! − …
    const horner = (coefficients: number[]) => coefficients.reduceRight<tf.Tensor>((acc, c) => tf.add(tf.mul(acc, r2), c), tf.zerosLike(r2));
    const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
    const sinCoefficients = Array.from({ length: 9 }, (_, i) => (i % 2 === 0 ? 1 : -1) / factorial(2 * i + 1));
    const cosCoefficients = Array.from({ length: 9 }, (_, i) => (i % 2 === 0 ? 1 : -1) / factorial(2 * i));
    return { sin: tf.mul(r, horner(sinCoefficients)), cos: horner(cosCoefficients) };
  });
}
