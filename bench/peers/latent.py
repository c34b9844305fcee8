"""Python peer for bench/latent.ts: numpy / sklearn timings on the same float32 data files.
Prints one JSON line per case: {"case", "peer", "median_ms", "reps", "blas", "threads"}."""
import argparse
import json
import os
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA, IncrementalPCA
from sklearn.linear_model import LinearRegression
from sklearn.svm import SVC


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        info = threadpool_info()
        return ';'.join(f"{i.get('internal_api')}:{i.get('num_threads')}" for i in info)
    except Exception:  # noqa: BLE001
        return os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3')


CPU = {}


def timeit(fn, reps, key=None):
    """Median wall ms; the median process CPU ms (all BLAS threads) is kept in CPU[key]."""
    fn()  # warm-up
    ts, cs = [], []
    for _ in range(reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000)
        cs.append((time.process_time() - c0) * 1000)
    CPU[key] = float(np.median(cs))
    return float(np.median(ts))


def train_boundary(latent_codes, scores, chosen_num_or_ratio=0.02, split_ratio=0.7):
    """genforce/interfacegan utils/manipulator.py train_boundary (logging removed)."""
    num_samples, dim = latent_codes.shape
    sorted_idx = np.argsort(scores, axis=0)[::-1, 0]
    latent_codes = latent_codes[sorted_idx]
    scores = scores[sorted_idx]
    chosen = int(num_samples * chosen_num_or_ratio) if 0 < chosen_num_or_ratio <= 1 else int(chosen_num_or_ratio)
    chosen = min(chosen, num_samples // 2)
    train_num = int(chosen * split_ratio)
    pos = np.arange(chosen); np.random.shuffle(pos)
    neg = np.arange(chosen); np.random.shuffle(neg)
    train = np.concatenate([latent_codes[:chosen][pos[:train_num]], latent_codes[-chosen:][neg[:train_num]]])
    label = np.concatenate([np.ones(train_num, dtype=int), np.zeros(train_num, dtype=int)])
    val = np.concatenate([latent_codes[:chosen][pos[train_num:]], latent_codes[-chosen:][neg[train_num:]]])
    remaining = latent_codes[chosen:-chosen]
    clf = SVC(kernel='linear').fit(train, label)
    clf.predict(val)
    if remaining.shape[0]:
        clf.predict(remaining)
    a = clf.coef_.reshape(1, dim).astype(np.float32)
    return a / np.linalg.norm(a)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--n', type=int, required=True)
    ap.add_argument('--d', type=int, required=True)
    ap.add_argument('--k', type=int, default=80)
    ap.add_argument('--svm-n', type=int, default=10000)
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--cases', default='pca_full,ipca,regression,svm')
    a = ap.parse_args()
    X = np.fromfile(os.path.join(a.dir, 'X.f32'), dtype=np.float32).reshape(a.n, a.d)
    Y = np.fromfile(os.path.join(a.dir, 'Y.f32'), dtype=np.float32).reshape(a.n, -1)
    S = np.fromfile(os.path.join(a.dir, 'S.f32'), dtype=np.float32).reshape(a.svm_n, a.d)
    s = np.fromfile(os.path.join(a.dir, 'scores.f32'), dtype=np.float32).reshape(a.svm_n, 1)
    meta = {'peer': f'numpy {np.__version__} / sklearn {sklearn.__version__}', 'blas': blas_info()}
    cases = a.cases.split(',')
    bs = 5 * a.d
    if 'pca_full' in cases:
        ms = timeit(lambda: PCA(n_components=a.k, svd_solver='full').fit(X), a.reps, 'pca_full')
        print(json.dumps({'case': 'pca_full', 'median_ms': ms, 'cpu_ms': CPU['pca_full'], 'reps': a.reps, **meta}), flush=True)
    if 'ipca' in cases:
        ms = timeit(lambda: IncrementalPCA(n_components=a.k, batch_size=bs).fit(X), max(1, a.reps - 2), 'ipca')
        print(json.dumps({'case': 'ipca', 'median_ms': ms, 'cpu_ms': CPU['ipca'], 'reps': max(1, a.reps - 2), **meta}), flush=True)
    if 'regression' in cases:
        ms = timeit(lambda: LinearRegression().fit(X, Y), a.reps, 'regression')
        print(json.dumps({'case': 'regression', 'median_ms': ms, 'cpu_ms': CPU['regression'], 'reps': a.reps, **meta}), flush=True)
    if 'svm' in cases:
        for ratio in (0.02, 0.1):
            np.random.seed(0)
            ms = timeit(lambda: train_boundary(S, s, ratio), a.reps + 2, 'svm')
            print(json.dumps({'case': f'svm_boundary_r{ratio}', 'median_ms': ms, 'cpu_ms': CPU['svm'], 'reps': a.reps + 2, **meta}), flush=True)


if __name__ == '__main__':
    main()
