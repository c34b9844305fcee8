"""PyTorch CPU peer of bench/cases/gemm.ts: torch.matmul on float32 [M, K]·[K, N] at the same
shapes (square 256/512/1024, DCGAN-64 D's conv2–conv4 as im2col GEMMs at batch 16). Two OpenBLAS
threads by default (bench/run.ts sets OPENBLAS_NUM_THREADS; torch's own pool stays at --threads,
default 1). Prints one JSON line per shape, with the BLAS library actually loaded.
Run with Debian's /usr/bin/python3 (python3-torch) and libopenblas0-pthread installed.
"""
import json

import torch

from peer_common import BLAS_THREADS, REPS, THREADS, blas_in_use, measure  # first: sets the thread layout

SHAPES = [
    ("gemm_square_256", 256, 256, 256),
    ("gemm_square_512", 512, 512, 512),
    ("gemm_square_1024", 1024, 1024, 1024),
    ("gemm_dcgan_d_conv2", 16 * 16 * 16, 4 * 4 * 64, 128),
    ("gemm_dcgan_d_conv3", 16 * 8 * 8, 4 * 4 * 128, 256),
    ("gemm_dcgan_d_conv4", 16 * 4 * 4, 4 * 4 * 256, 512),
]


def main():
    torch.manual_seed(0)
    blas = blas_in_use()
    for name, m, k, n in SHAPES:
        a, b = torch.randn(m, k), torch.randn(k, n)
        line = measure(name, lambda: torch.matmul(a, b), REPS, gflop=2 * m * k * n / 1e9)
        print(json.dumps({**line, "blas": blas, "threads": THREADS, "blas_threads": BLAS_THREADS}), flush=True)


if __name__ == "__main__":
    main()
