"""What every PyTorch peer of bench/run.ts shares: its thread layout, its name, --reps, the BLAS
library actually loaded, and the timing loop. Import it first (before building any model):
it sets torch's thread count.

Thread layout: torch's intra-op pool × OpenBLAS's own pool. torch.set_num_threads(2) with
OpenBLAS at 2 threads oversubscribes 2 cores (measured here: 3.3–5.4 s per DCGAN step vs 0.6 s),
so the 2-thread peer runs torch's loops on 1 thread and OpenBLAS on OPENBLAS_NUM_THREADS (set by
bench/run.ts before the library loads). --threads sets torch's intra-op threads (default 1).
"""
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


def blas_in_use():
    """The BLAS shared libraries this process loaded (from /proc/self/maps), after one small matmul."""
    torch.randn(64, 64) @ torch.randn(64, 64)
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line})
    return ",".join(libs) or "unknown"


def measure(name, fn, reps, warmup=1, gflop=None):
    """Median and minimum wall ms of `fn` over `reps` runs after `warmup`, as a bench JSON line."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    ms = statistics.median(times)
    out = {"case": name, "peer": PEER, "median_ms": round(ms, 3), "min_ms": round(min(times), 3), "reps": reps}
    if gflop is not None:
        out["gflop"] = gflop
        out["gflops"] = round(gflop / (ms / 1000), 3)
    return out
