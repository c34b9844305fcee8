/** Dataset parsers: bytes or text in, typed arrays out; no file system. */
export { splitCsvLine } from './common.js';
export type { ParseOptions, SkippedLine } from './common.js';
export { parseIdx, encodeIdx } from './idx.js';
export type { IdxArray, IdxData } from './idx.js';
export { parseCelebaAttributes, parseCelebaPartition } from './celeba.js';
export type { CelebaAttributes, CelebaPartition } from './celeba.js';
export { parseFer2013Csv, FER2013_SIZE } from './fer2013.js';
export type { Fer2013Data, Fer2013Options } from './fer2013.js';
export { parseAuCsv } from './au_csv.js';
export type { AuTable, AuCsvOptions } from './au_csv.js';
export { parseFashionMnistJson, FASHION_MNIST_CLASSES } from './fashion_mnist.js';
