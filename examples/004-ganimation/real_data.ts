/**
 * `--data` for the GANimation reproduction: an EmotioNet/GANimation-style folder with one AU table
 * (`aus.csv`, or the only `*.csv`: `file, AU1, AU2, …` intensities 0..5, or an OpenFace CSV) and the
 * images (`imgs/` as in albertpumarola/GANimation's data layout, or `images/`). Uses gankit/node's
 * `loadAuTable` + `auImageSource`. Missing annotations (NaN, EmotioNet's 999) count as 0.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { auImageSource, loadAuTable } from '../../src/node/index.js';
import { Random } from '../../src/index.js';
import type { GanimationConfig, GanimationData } from './pipeline.js';

function findTable(dir: string): string {
  if (existsSync(path.join(dir, 'aus.csv'))) return path.join(dir, 'aus.csv');
  const csvs = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv'));
  if (csvs.length !== 1) throw new Error(`004-ganimation --data: expected '${dir}' to hold aus.csv or exactly one .csv AU table; found ${csvs.length ? csvs.join(', ') : 'none'}`);
  return path.join(dir, csvs[0]);
}

function findImages(dir: string): string {
  for (const name of ['imgs', 'images']) {
    const p = path.join(dir, name);
    if (existsSync(p) && statSync(p).isDirectory()) return p;
  }
  throw new Error(`004-ganimation --data: expected an image folder 'imgs/' or 'images/' in '${dir}'`);
}

/** Load up to trainImages + evalFaces faces; the AU regressor trains on the training split (independent of the critic). */
export async function loadAuFolder(dir: string, c: GanimationConfig, seed: number): Promise<GanimationData> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`004-ganimation --data: '${dir}' is not a folder (expected aus.csv + imgs/)`);
  const table = await loadAuTable(findTable(dir), { missingValue: 999 });
  const source = await auImageSource(table, findImages(dir), { size: c.imageSize, channels: 3, range: [-1, 1] });
  const k = table.auNames.length;
  const order = new Random(seed).permutation(source.length);
  const nEval = Math.min(c.evalFaces, Math.floor(source.length / 5));
  const nTrain = Math.min(c.trainImages, source.length - nEval);
  if (nTrain < 2 || nEval < 1) throw new Error(`004-ganimation --data: needs at least 3 annotated images; got ${source.length}`);
  const load = async (ids: number[]) => {
    const px = new Float32Array(ids.length * c.imageSize * c.imageSize * 3);
    const aus = new Float32Array(ids.length * k);
    for (let i = 0; i < ids.length; i++) {
      const ex = await source.get(ids[i]);
      px.set(ex.x as ArrayLike<number>, (i * px.length) / ids.length);
      const y = ex.y as ArrayLike<number>;
      for (let j = 0; j < k; j++) aus[i * k + j] = Number.isFinite(y[j]) ? Math.min(1, Math.max(0, y[j])) : 0;
    }
    return { images: tf.tensor4d(px, [ids.length, c.imageSize, c.imageSize, 3]), aus };
  };
  const evaluation = await load(Array.from(order.slice(0, nEval)));
  const train = await load(Array.from(order.slice(nEval, nEval + nTrain)));
  // The regressor trains on 90 % of the training split and is tested on the rest.
  const nTest = nTrain >= 6 ? Math.max(2, Math.floor(nTrain / 10)) : 1;
  const regressorTest = { images: tf.slice(train.images, [0, 0, 0, 0], [nTest, -1, -1, -1]) as tf.Tensor4D, aus: train.aus.slice(0, nTest * k) };
  const regressor = { images: tf.slice(train.images, [nTest, 0, 0, 0], [-1, -1, -1, -1]) as tf.Tensor4D, aus: train.aus.slice(nTest * k) };
  return {
    auNames: table.auNames,
    train,
    regressor,
    regressorTest,
    evaluation,
    source: `${dir}: ${nTrain} training + ${nEval} evaluation images of ${source.length}, ${k} AUs (${table.auNames.join(', ')}), ${c.imageSize} px`,
  };
}
