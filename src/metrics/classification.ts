import { readTensorLike, type TensorLike } from '../linalg/index.js';

/** Accuracy and confusion matrix of a classifier. */
export interface ClassificationReport {
  count: number;
  numClasses: number;
  /** Fraction of samples whose predicted class is the true class. */
  accuracy: number;
  /** `[numClasses][numClasses]` counts, rows = true class, columns = predicted (sklearn's convention). */
  confusion: number[][];
  /** Recall of each class (diagonal / row sum); NaN for classes absent from the labels. */
  perClassRecall: number[];
  /** Precision of each class (diagonal / column sum); NaN for classes never predicted. */
  perClassPrecision: number[];
  /** Mean recall over the classes present in the labels (`sklearn.metrics.balanced_accuracy_score`). */
  balancedAccuracy: number;
}

export interface ClassificationOptions {
  /** Number of classes; default: the width of score inputs, else 1 + the largest label seen. */
  numClasses?: number;
}

/** Class indices from integer labels `[n]` or scores / one-hot / probabilities `[n, k]` (argmax, first max wins). */
function readLabels(where: string, name: string, x: TensorLike): { labels: Int32Array; width: number | null } {
  const { shape, data } = readTensorLike(where, name, x);
  if (shape.length === 1) {
    const labels = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isInteger(data[i]) || data[i] < 0) throw new Error(`${where}: '${name}' must hold non-negative integer class indices; element ${i} is ${data[i]}`);
      labels[i] = data[i];
    }
    return { labels, width: null };
  }
  if (shape.length === 2) {
    const [n, k] = shape;
    if (k < 1) throw new Error(`${where}: '${name}' scores need at least one class; got shape [${n}, ${k}]`);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (data[i * k + j] > data[i * k + best]) best = j;
      labels[i] = best;
    }
    return { labels, width: k };
  }
  throw new Error(`${where}: '${name}' must be class indices [n] or scores [n, classes]; got shape [${shape.join(', ')}]`);
}

/**
 * Accuracy, confusion matrix, per-class recall/precision and balanced accuracy of predictions
 * against labels. Both may be integer class indices `[n]` or scores/one-hot/probabilities
 * `[n, classes]` (reduced by argmax). Matches `sklearn.metrics.confusion_matrix`,
 * `accuracy_score` and `balanced_accuracy_score`.
 */
export function classificationReport(labels: TensorLike, predictions: TensorLike, options: ClassificationOptions = {}): ClassificationReport {
  return report('classificationReport', labels, predictions, options);
}

function report(where: string, labels: TensorLike, predictions: TensorLike, options: ClassificationOptions): ClassificationReport {
  const t = readLabels(where, 'labels', labels);
  const p = readLabels(where, 'predictions', predictions);
  const n = t.labels.length;
  if (p.labels.length !== n) throw new Error(`${where}: 'labels' and 'predictions' must have the same number of samples; got ${n} and ${p.labels.length}`);
  if (n === 0) throw new Error(`${where}: 'labels' must not be empty`);
  if (t.width !== null && p.width !== null && t.width !== p.width) {
    throw new Error(`${where}: 'labels' and 'predictions' scores must have the same number of classes; got ${t.width} and ${p.width}`);
  }
  let maxLabel = 0;
  for (let i = 0; i < n; i++) maxLabel = Math.max(maxLabel, t.labels[i], p.labels[i]);
  const numClasses = options.numClasses ?? t.width ?? p.width ?? maxLabel + 1;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`${where}: 'numClasses' must be a positive integer; got ${numClasses}`);
  if (maxLabel >= numClasses) throw new Error(`${where}: class index ${maxLabel} is out of range for numClasses ${numClasses}`);
  if ((t.width !== null && t.width !== numClasses) || (p.width !== null && p.width !== numClasses)) {
    throw new Error(`${where}: 'numClasses' (${numClasses}) must equal the score width (${t.width ?? p.width})`);
  }
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    confusion[t.labels[i]][p.labels[i]]++;
    if (t.labels[i] === p.labels[i]) correct++;
  }
  const perClassRecall = confusion.map((row, c) => {
    const s = row.reduce((a, b) => a + b, 0);
    return s === 0 ? NaN : row[c] / s;
  });
  const perClassPrecision = confusion.map((_, c) => {
    let s = 0;
    for (let r = 0; r < numClasses; r++) s += confusion[r][c];
    return s === 0 ? NaN : confusion[c][c] / s;
  });
  const present = perClassRecall.filter((v) => !Number.isNaN(v));
  return {
    count: n,
    numClasses,
    accuracy: correct / n,
    confusion,
    perClassRecall,
    perClassPrecision,
    balancedAccuracy: present.reduce((a, b) => a + b, 0) / present.length,
  };
}

/** Fraction of correct predictions (labels / predictions as in {@link classificationReport}). */
export function classificationAccuracy(labels: TensorLike, predictions: TensorLike): number {
  return report('classificationAccuracy', labels, predictions, {}).accuracy;
}

/** Confusion matrix, rows = true class, columns = predicted (as in {@link classificationReport}). */
export function confusionMatrix(labels: TensorLike, predictions: TensorLike, numClasses?: number): number[][] {
  return report('confusionMatrix', labels, predictions, { numClasses }).confusion;
}
