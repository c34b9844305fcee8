/**
 * Node-only image decoding with `sharp` (an optional dependency, loaded on first use) and the
 * file-system helpers the dataset loaders share.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

type SharpFactory = (input?: Buffer | string, options?: Record<string, unknown>) => any;
let sharpPromise: Promise<SharpFactory> | null = null;

/** The `sharp` module, imported on first use; a clear error when it is not installed. */
export function loadSharp(): Promise<SharpFactory> {
  sharpPromise ??= import('sharp').then(
    (m: any) => (m.default ?? m) as SharpFactory,
    (e: Error) => {
      sharpPromise = null;
      throw new Error(`gankit: decoding images needs the optional dependency 'sharp' (npm install sharp); importing it failed: ${e.message}`);
    },
  );
  return sharpPromise;
}

export interface DecodeImageOptions {
  /** Square side of a centre crop taken before resizing (torchvision CenterCrop: top = round((h − c)/2), left = round((w − c)/2)). */
  crop?: number;
  /** Output size: a side (square) or [height, width]. Default: the (cropped) image size. */
  size?: number | [number, number];
  /** 1 (luminance) or 3 (sRGB). Default 3. */
  channels?: 1 | 3;
  /** Resampling kernel for sharp's resize. Default 'linear' (antialiased bilinear, like PIL's BILINEAR in torchvision's Resize). */
  kernel?: 'nearest' | 'linear' | 'cubic' | 'lanczos3';
  /** Background that transparent pixels are flattened onto. Default white. */
  background?: string;
}

export interface DecodedImage {
  /** Row-major HWC 8-bit values. */
  data: Uint8Array;
  height: number;
  width: number;
  channels: 1 | 3;
}

/**
 * Decode an image file or encoded bytes (PNG, JPEG, WebP, GIF, TIFF, AVIF …), optionally centre-crop
 * and resize it. Errors name the file and say whether it was missing, unreadable or not an image.
 */
export async function decodeImage(input: string | Uint8Array, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const where = 'decodeImage';
  const name = typeof input === 'string' ? `'${input}'` : `<${input.length} bytes>`;
  const { channels = 3, kernel = 'linear', background = '#ffffff' } = options;
  if (channels !== 1 && channels !== 3) throw new Error(`${where}: 'channels' must be 1 or 3; got ${channels}`);
  const sharp = await loadSharp();
  let bytes: Buffer;
  if (typeof input === 'string') {
    try {
      bytes = await fs.readFile(input);
    } catch (e) {
      throw new Error(`${where}: cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else {
    bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  try {
    let img = sharp(bytes, { failOn: 'error' });
    const meta = await img.metadata();
    let w = meta.width as number,
      h = meta.height as number;
    if (!(w > 0 && h > 0)) throw new Error('no image size');
    if (options.crop !== undefined) {
      const c = options.crop;
      if (!Number.isInteger(c) || c < 1) throw new Error(`'crop' must be a positive integer; got ${c}`);
      if (c > w || c > h) throw new Error(`crop ${c} is larger than the image (${w}×${h})`);
      img = img.extract({ left: Math.round((w - c) / 2), top: Math.round((h - c) / 2), width: c, height: c });
      w = h = c;
    }
    if (options.size !== undefined) {
      const [oh, ow] = typeof options.size === 'number' ? [options.size, options.size] : options.size;
      if (!Number.isInteger(oh) || !Number.isInteger(ow) || oh < 1 || ow < 1) throw new Error(`'size' must be positive integers; got ${JSON.stringify(options.size)}`);
      if (oh !== h || ow !== w) img = img.resize(ow, oh, { fit: 'fill', kernel });
    }
    img = img.flatten({ background }).toColourspace(channels === 1 ? 'b-w' : 'srgb');
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoder returned ${info.channels} channels; expected ${channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), height: info.height, width: info.width, channels };
  } catch (e) {
    throw new Error(`${where}: cannot decode ${name}: ${(e as Error).message}`);
  }
}

/** Map 8-bit values into `range` (default [−1, 1]) as float32. */
export function bytesToRange(data: ArrayLike<number>, range: [number, number] = [-1, 1], out = new Float32Array(data.length), offset = 0): Float32Array {
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new Error(`bytesToRange: 'range' must be [low, high] with low < high, both finite; got [${range.join(', ')}]`);
  const a = (hi - lo) / 255;
  for (let i = 0; i < data.length; i++) out[offset + i] = lo + data[i] * a;
  return out;
}

/** Throws a clear error unless `dir` is an existing directory. */
export async function assertDirectory(where: string, what: string, dir: string): Promise<void> {
  let st;
  try {
    st = await fs.stat(dir);
  } catch {
    throw new Error(`${where}: ${what} '${dir}' does not exist`);
  }
  if (!st.isDirectory()) throw new Error(`${where}: ${what} '${dir}' is not a directory`);
}

/** Read a text file with an error naming the function and the file. */
export async function readTextFile(where: string, file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${where}: cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Image file extensions the folder loaders pick up. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.bmp', '.avif'];

/** Image files under `dir` (sorted; recursive by default), as paths. */
export async function listImageFiles(dir: string, options: { recursive?: boolean; extensions?: string[] } = {}): Promise<string[]> {
  const { recursive = true, extensions = IMAGE_EXTENSIONS } = options;
  const exts = new Set(extensions.map((e) => e.toLowerCase()));
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = (await fs.readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (recursive) await walk(p);
      } else if (exts.has(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  await assertDirectory('listImageFiles', 'folder', dir);
  await walk(dir);
  return out;
}
