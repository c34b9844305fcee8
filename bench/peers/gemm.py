"""PyTorch CPU peer of bench/cases/gemm.ts: torch.matmul on float32 [M, K]·[K, N] at the same
shapes (square 256/512/1024, DCGAN-64 D's conv2–conv4 as im2col GEMMs at batch 16). Two OpenBLAS
threads by default (bench/run.ts sets OPENBLAS_NUM_THREADS; torch's own pool stays at --threads,
default 1). Prints one JSON line per shape, with the BLAS library actually loaded.
Run with Debian's /usr/bin/python3 (python3-torch) and libopenblas0-pthread installed.
"""
import json
import os
import statistics
import sys
import time

import torch

THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
BLAS_THREADS = int(os.environ.get("OPENBLAS_NUM_THREADS", "0") or 0)
torch.set_num_threads(THREADS)
PEER = "pytorch-cpu" if (THREADS, BLAS_THREADS) == (1, 2) else f"pytorch-cpu-{max(THREADS, BLAS_THREADS)}t"
REPS = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 5

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
    torch.randn(64, 64) @ torch.randn(64, 64)
    blas = ",".join(sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line})) or "unknown"
    lines = []
    for name, m, k, n in SHAPES:
        a, b = torch.randn(m, k), torch.randn(k, n)
        torch.matmul(a, b)
        times = []
        for _ in range(REPS):
            t0 = time.perf_counter()
            torch.matmul(a, b)
            times.append((time.perf_counter() - t0) * 1000)
        ms = statistics.median(times)
        gflop = 2 * m * k * n / 1e9
        lines.append({"case": name, "peer": PEER, "median_ms": round(ms, 3), "min_ms": round(min(times), 3), "reps": REPS, "gflop": gflop, "gflops": round(gflop / (ms / 1000), 3), "blas": blas, "threads": THREADS, "blas_threads": BLAS_THREADS})
    for line in lines:
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
