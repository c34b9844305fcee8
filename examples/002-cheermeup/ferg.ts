/** FERG-DB for 002-cheermeup: the uni-modal (one character) and multi-modal (all six) sets, in memory. */
import * as tf from '@tensorflow/tfjs-core';
import { fergSource } from '../../src/node/index.js';
import { Random } from '../../src/index.js';

export interface FergSets {
  uni: { images: tf.Tensor4D; emotions: Int32Array; characters: Int32Array };
  multi: { images: tf.Tensor4D; emotions: Int32Array; characters: Int32Array };
  clf: { images: tf.Tensor4D; emotions: Int32Array; characters: Int32Array };
  test: { images: tf.Tensor4D; emotions: Int32Array; characters: Int32Array };
  names: string[];
  /** The character of the uni-modal set. */
  uniCharacter: string;
}

/**
 * Decode random disjoint subsets of FERG-DB at `root` (resized to `size`): GAN sets of `nGan`
 * images (uni-modal: the character 'jules' when present, else the first), a classifier set of
 * `nClf` and a test set of `nTest` images over all characters.
 */
export async function loadFergSubset(root: string, cfg: { size: number; nGan: number; nClf: number; nTest: number }, seed: number): Promise<FergSets> {
  const src = await fergSource(root, { size: cfg.size, channels: 3 });
  const names = src.characters;
  const uniChar = Math.max(
    0,
    names.findIndex((c) => c.toLowerCase() === 'jules'),
  );
  const perm = Array.from(new Random(seed).permutation(src.length));
  const uniIdx = perm.filter((i) => src.characterIds[i] === uniChar);
  const load = async (idx: number[]) => {
    const per = cfg.size * cfg.size * 3;
    const data = new Float32Array(idx.length * per);
    for (const [k, i] of idx.entries()) data.set((await src.get(i)).x, k * per);
    return {
      images: tf.tensor4d(data, [idx.length, cfg.size, cfg.size, 3]),
      emotions: Int32Array.from(idx, (i) => src.emotions[i]),
      characters: Int32Array.from(idx, (i) => src.characterIds[i]),
    };
  };
  const need = cfg.nGan + cfg.nClf + cfg.nTest;
  if (perm.length < need) throw new Error(`002-cheermeup: FERG-DB at '${root}' has ${perm.length} images; this mode needs ${need}`);
  const multiIdx = perm.slice(0, cfg.nGan);
  const clfIdx = perm.slice(cfg.nGan, cfg.nGan + cfg.nClf);
  const testIdx = perm.slice(cfg.nGan + cfg.nClf, need);
  return {
    uni: await load(uniIdx.slice(0, cfg.nGan)),
    multi: await load(multiIdx),
    clf: await load(clfIdx),
    test: await load(testIdx),
    names,
    uniCharacter: names[uniChar],
  };
}
