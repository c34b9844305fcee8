/**
 * Node-only loaders for the users' own face datasets: CelebA, FER2013, FERG-DB, AU tables with
 * their images, and plain image folders. Each returns an {@link ExampleSource} for
 * {@link batches}; images are decoded (sharp) lazily, so `prefetch` overlaps decoding with training.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseAuCsv, type AuCsvOptions, type AuTable } from '../parsers/au_csv.js';
import { parseCelebaAttributes, parseCelebaPartition } from '../parsers/celeba.js';
import type { SkippedLine } from '../parsers/common.js';
import { FER2013_SIZE, parseFer2013Csv, type Fer2013Data, type Fer2013Options } from '../parsers/fer2013.js';
import { arraySource, type ExampleSource } from '../stream.js';
import { assertDirectory, bytesToRange, decodeImage, IMAGE_EXTENSIONS, listImageFiles, readTextFile, type DecodeImageOptions } from './image.js';

/** HoloGAN's CelebA preprocessing: centre crop 108, resize to 64 (thunguyenphuoc/HoloGAN tools/utils.py). */
export const CELEBA_CROP_HOLOGAN = 108;
/** PyTorch-VAE's CelebA preprocessing: CenterCrop(148) then Resize(64) (AntixK/PyTorch-VAE dataset.py). */
export const CELEBA_CROP_PYTORCH_VAE = 148;

export interface ImageSourceOptions {
  /** Output side (square). Default 64. */
  size?: number;
  /** Centre crop before resizing (see {@link decodeImage}). */
  crop?: number;
  /** 1 or 3 channels. Default 3. */
  channels?: 1 | 3;
  /** Pixel value range. Default [−1, 1]. */
  range?: [number, number];
  kernel?: DecodeImageOptions['kernel'];
}

/** A source with its file list and the labels it attaches. */
export interface FileImageSource extends ExampleSource {
  files: string[];
}

function imageSource(files: string[], opts: ImageSourceOptions, label: ((i: number) => ArrayLike<number> | number) | null, yShape: number[] | undefined, yDtype: 'float32' | 'int32'): FileImageSource {
  const { size = 64, crop, channels = 3, range = [-1, 1], kernel } = opts;
  return {
    files,
    length: files.length,
    xShape: [size, size, channels],
    yShape: label ? yShape : undefined,
    yDtype,
    get: async (i: number) => {
      const img = await decodeImage(files[i], { size, crop, channels, kernel });
      return { x: bytesToRange(img.data, range), y: label ? label(i) : undefined };
    },
  };
}

export interface CelebaOptions extends ImageSourceOptions {
  /** Attribute names to return as y, in this order. Default all 40. */
  attributes?: string[];
  /** y values: ±1 as in the file ('pm1', default) or 0/1 ('01'). */
  labels?: 'pm1' | '01';
  /** 0 train, 1 validation, 2 test (needs list_eval_partition.txt). Default all images. */
  partition?: 0 | 1 | 2;
  limit?: number;
  skipMalformed?: boolean;
}

async function firstExisting(paths: string[]): Promise<string | null> {
  for (const p of paths) {
    try {
      await fs.access(p);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * CelebA (Liu et al. 2015) from `root` holding `list_attr_celeba.txt` and `img_align_celeba/`
 * (torchvision's layout) or the original `Anno/`, `Img/`, `Eval/` folders. x: the aligned image
 * centre-cropped to `crop` (default 108, HoloGAN; 148 for PyTorch-VAE) and resized to `size`;
 * y: the chosen attributes.
 */
export async function celebaSource(root: string, options: CelebaOptions = {}): Promise<FileImageSource & { attributeNames: string[]; skipped: SkippedLine[] }> {
  const where = 'celebaSource';
  await assertDirectory(where, 'CelebA root', root);
  const attrFile = await firstExisting([path.join(root, 'list_attr_celeba.txt'), path.join(root, 'Anno', 'list_attr_celeba.txt')]);
  if (!attrFile) throw new Error(`${where}: no list_attr_celeba.txt in '${root}' or '${path.join(root, 'Anno')}'`);
  const imgDir = await firstExisting([path.join(root, 'img_align_celeba'), path.join(root, 'Img', 'img_align_celeba')]);
  if (!imgDir) throw new Error(`${where}: no img_align_celeba/ folder in '${root}' or '${path.join(root, 'Img')}'`);
  await assertDirectory(where, 'image folder', imgDir);
  const attrs = parseCelebaAttributes(await readTextFile(where, attrFile), { file: attrFile, skipMalformed: options.skipMalformed });
  const names = options.attributes ?? attrs.names;
  const cols = names.map((a) => {
    const j = attrs.names.indexOf(a);
    if (j < 0) throw new Error(`${where}: unknown attribute '${a}'; the file has ${attrs.names.join(', ')}`);
    return j;
  });
  let rows = Array.from({ length: attrs.files.length }, (_, i) => i);
  if (options.partition !== undefined) {
    const pFile = await firstExisting([path.join(root, 'list_eval_partition.txt'), path.join(root, 'Eval', 'list_eval_partition.txt')]);
    if (!pFile) throw new Error(`${where}: 'partition' needs list_eval_partition.txt in '${root}' or '${path.join(root, 'Eval')}'`);
    const part = parseCelebaPartition(await readTextFile(where, pFile), { file: pFile, skipMalformed: options.skipMalformed });
    const of = new Map(part.files.map((f, i) => [f, part.partition[i]]));
    rows = rows.filter((i) => of.get(attrs.files[i]) === options.partition);
  }
  if (options.limit !== undefined) rows = rows.slice(0, options.limit);
  const k = attrs.names.length;
  const zeroOne = options.labels === '01';
  const y = new Float32Array(rows.length * cols.length);
  rows.forEach((r, i) =>
    cols.forEach((c, j) => {
      const v = attrs.values[r * k + c];
      y[i * cols.length + j] = zeroOne ? (v + 1) / 2 : v;
    }),
  );
  const files = rows.map((r) => path.join(imgDir, attrs.files[r]));
  if (files.length > 0) {
    try {
      await fs.access(files[0]);
    } catch {
      throw new Error(`${where}: image '${files[0]}' listed in ${attrFile} is missing`);
    }
  }
  const src = imageSource(files, { ...options, crop: options.crop ?? CELEBA_CROP_HOLOGAN }, (i) => y.subarray(i * cols.length, (i + 1) * cols.length), [cols.length], 'float32');
  return { ...src, attributeNames: names, skipped: attrs.skipped };
}

/** Read and parse `fer2013.csv` (see {@link parseFer2013Csv}). */
export async function loadFer2013(file: string, options: Fer2013Options = {}): Promise<Fer2013Data> {
  return parseFer2013Csv(await readTextFile('loadFer2013', file), { file, ...options });
}

/** FER2013 as a source: x [48, 48, 1] in `range` (default [−1, 1]), y the int32 emotion. */
export function fer2013Source(data: Fer2013Data, range: [number, number] = [-1, 1]): ExampleSource {
  const x = bytesToRange(data.pixels, range);
  return arraySource(x, [FER2013_SIZE, FER2013_SIZE, 1], data.emotions, [], 'int32');
}

/** FERG-DB folder emotion names → FER2013 indices (0 angry … 6 neutral). FER2013's own names work too. */
export const FERG_EMOTIONS: Record<string, number> = {
  anger: 0,
  angry: 0,
  disgust: 1,
  fear: 2,
  joy: 3,
  happy: 3,
  sadness: 4,
  sad: 4,
  surprise: 5,
  neutral: 6,
};

export interface FergOptions extends ImageSourceOptions {
  /** Only these characters (folder names, e.g. ['jules']); default all. The single-character option of the TL-GAN example. */
  characters?: string[];
  /** y: the emotion (default), the character index, or both as [emotion, character]. */
  target?: 'emotion' | 'character' | 'both';
}

/**
 * FERG-DB (Aneja et al. 2016): `root/<character>/<character>_<emotion>/*.png` (or
 * `root/<character>/<emotion>/`), six characters × seven emotions. Emotions map to FER2013 indices.
 */
export async function fergSource(root: string, options: FergOptions = {}): Promise<FileImageSource & { characters: string[]; emotions: Int32Array; characterIds: Int32Array }> {
  const where = 'fergSource';
  await assertDirectory(where, 'FERG-DB root', root);
  const chars = (await fs.readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const wanted = options.characters ?? chars;
  for (const c of wanted) if (!chars.includes(c)) throw new Error(`${where}: no character folder '${c}' in '${root}' (found ${chars.join(', ') || 'none'})`);
  if (wanted.length === 0) throw new Error(`${where}: no character folders in '${root}'`);
  const files: string[] = [];
  const emotions: number[] = [];
  const ids: number[] = [];
  for (const [ci, c] of wanted.entries()) {
    const subs = (await fs.readdir(path.join(root, c), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    for (const s of subs) {
      const emo = s.toLowerCase().startsWith(`${c.toLowerCase()}_`) ? s.slice(c.length + 1).toLowerCase() : s.toLowerCase();
      const e = FERG_EMOTIONS[emo];
      if (e === undefined)
        throw new Error(`${where}: folder '${path.join(root, c, s)}' names no known emotion (expected <character>_<emotion> with emotion one of ${Object.keys(FERG_EMOTIONS).join(', ')})`);
      for (const f of await listImageFiles(path.join(root, c, s), { recursive: false })) {
        files.push(f);
        emotions.push(e);
        ids.push(ci);
      }
    }
  }
  if (files.length === 0) throw new Error(`${where}: no images under '${root}'`);
  const target = options.target ?? 'emotion';
  const label = target === 'emotion' ? (i: number) => emotions[i] : target === 'character' ? (i: number) => ids[i] : (i: number) => [emotions[i], ids[i]];
  const src = imageSource(files, options, label, target === 'both' ? [2] : [], 'int32');
  return { ...src, characters: wanted, emotions: Int32Array.from(emotions), characterIds: Int32Array.from(ids) };
}

/** Read and parse an AU table (see {@link parseAuCsv}). */
export async function loadAuTable(file: string, options: AuCsvOptions = {}): Promise<AuTable> {
  return parseAuCsv(await readTextFile('loadAuTable', file), { file, ...options });
}

/**
 * Images with AU intensity targets (GANimation's training data: EmotioNet images + OpenFace
 * intensities / 5): each table key is an image file in `imageDir` (as is, or with one of the image
 * extensions added). y: the AU vector in [0, 1] (`table.auNames` order).
 */
export async function auImageSource(table: AuTable, imageDir: string, options: ImageSourceOptions = {}): Promise<FileImageSource & { auNames: string[] }> {
  const where = 'auImageSource';
  await assertDirectory(where, 'image folder', imageDir);
  const present = new Set(await fs.readdir(imageDir));
  const k = table.auNames.length;
  const files = table.keys.map((key) => {
    const hit = [key, ...IMAGE_EXTENSIONS.map((e) => key + e)].find((n) => present.has(n));
    if (!hit) throw new Error(`${where}: no image for key '${key}' in '${imageDir}' (tried '${key}' and '${key}.png', '${key}.jpg', …)`);
    return path.join(imageDir, hit);
  });
  const src = imageSource(files, options, (i) => table.values.subarray(i * k, (i + 1) * k), [k], 'float32');
  return { ...src, auNames: table.auNames };
}

/**
 * Images in a folder tree. With `labels: 'subfolder'`, each immediate subfolder is a class
 * (sorted names → 0, 1, …) and y is the int32 class index; otherwise no targets.
 */
export async function imageFolderSource(dir: string, options: ImageSourceOptions & { labels?: 'subfolder' | 'none'; recursive?: boolean } = {}): Promise<FileImageSource & { classes: string[] }> {
  const where = 'imageFolderSource';
  await assertDirectory(where, 'image folder', dir);
  const files = await listImageFiles(dir, { recursive: options.recursive ?? true });
  if (files.length === 0) throw new Error(`${where}: no images (${IMAGE_EXTENSIONS.join(', ')}) under '${dir}'`);
  if (options.labels === 'subfolder') {
    const classOf = files.map((f) => path.relative(dir, f).split(path.sep)[0]);
    const inRoot = files.filter((_, i) => classOf[i] === path.basename(files[i]));
    if (inRoot.length > 0) throw new Error(`${where}: labels 'subfolder' needs every image inside a class folder; '${inRoot[0]}' is not`);
    const classes = [...new Set(classOf)].sort();
    const y = classOf.map((c) => classes.indexOf(c));
    return { ...imageSource(files, options, (i) => y[i], [], 'int32'), classes };
  }
  return { ...imageSource(files, options, null, undefined, 'float32'), classes: [] };
}
