"""PyTorch CUDA peer of bench/gpu/run.ts: the same DCGAN-64 (bench/peers/dcgan64.py) and HoloGAN-64
(bench/peers/hologan64.py) training steps on the GPU, timed with torch.cuda.synchronize().
Prints one JSON line per case, or one line saying why it could not run (no torch, no CUDA)."""
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
REPS = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 10
BATCH = int(sys.argv[sys.argv.index("--batch") + 1]) if "--batch" in sys.argv else 64


def line(**kw):
    print(json.dumps({"peer": "pytorch-cuda", **kw}), flush=True)


try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    line(case="all", error=f"torch not importable: {e}")
    sys.exit(0)
if not torch.cuda.is_available():
    line(case="all", error="torch.cuda.is_available() is False (no CUDA device or a CPU-only torch)")
    sys.exit(0)
dev = torch.device("cuda")


def timed(name, step, gflop=None):
    step()
    torch.cuda.synchronize()
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        step()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1000)
    ms = statistics.median(times)
    out = {"case": name, "median_ms": round(ms, 3), "min_ms": round(min(times), 3), "reps": REPS, "device": torch.cuda.get_device_name(0)}
    if gflop:
        out["gflop"] = gflop
        out["gflops"] = round(gflop / (ms / 1000), 1)
    line(**out)


def dcgan():
    import dcgan64 as ref
    torch.manual_seed(0)
    G, D = ref.generator().to(dev), ref.discriminator().to(dev)
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(BATCH, 1, device=dev), torch.zeros(BATCH, 1, device=dev)

    def step():
        z = torch.randn(BATCH, 100, device=dev)
        real = torch.rand(BATCH, 3, 64, 64, device=dev) * 2 - 1
        fake = G(z)
        opt_d.zero_grad()
        (bce(D(real), ones) + bce(D(fake.detach()), zeros)).backward()
        opt_d.step()
        opt_g.zero_grad()
        bce(D(G(z)), ones).backward()
        opt_g.step()

    timed(f"dcgan64_train_step_b{BATCH}", step, gflop=getattr(ref, "STEP_GFLOP", None))


def hologan():
    import hologan64 as ref
    torch.manual_seed(0)
    G, D = ref.Generator().to(dev), ref.Discriminator().to(dev)
    opt = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.5, 0.999))
    b = 8

    def step():
        z = torch.rand(b, ref.Z, device=dev) * 2 - 1
        view = torch.cat([torch.rand(b, 2, device=dev) * 2 - 1, torch.ones(b, 3, device=dev), torch.zeros(b, 1, device=dev)], 1)
        opt.zero_grad()
        logit, _ = D(G(z, view))
        F.softplus(-logit).mean().backward()
        opt.step()

    timed("hologan64_g_step_b8", step)


for case in (dcgan, hologan):
    try:
        case()
    except Exception as e:  # a peer that cannot run one case still reports the others
        line(case=case.__name__, error=str(e).split("\n")[0][:200])
