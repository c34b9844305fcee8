"""PyTorch CPU peer of bench/losses_train.ts: one WGAN-GP critic step (critic loss + lambda 10
gradient penalty with create_graph, Adam) on a small conv critic, batch 16 of 32x32x3, 2 threads.
Prints one JSON line per case, with the BLAS library loaded.

Run with Debian's /usr/bin/python3 (python3-torch).
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(0)
REPS = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 5


def blas_in_use():
    torch.randn(64, 64) @ torch.randn(64, 64)
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line})
    return ",".join(libs) or "unknown"


critic = nn.Sequential(
    nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(32, 64, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(128 * 4 * 4, 1),
)
opt = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.99))
real = torch.randn(16, 3, 32, 32)
fake = torch.randn(16, 3, 32, 32)


def step():
    opt.zero_grad()
    loss = critic(fake).mean() - critic(real).mean()
    u = torch.rand(16, 1, 1, 1)
    xh = (u * real + (1 - u) * fake).requires_grad_(True)
    g = torch.autograd.grad(critic(xh).sum(), xh, create_graph=True)[0]
    gp = 10 * ((g.reshape(16, -1).norm(dim=1) - 1) ** 2).mean()
    (loss + gp).backward()
    opt.step()
    float(loss)


for _ in range(2):
    step()
times = []
for _ in range(REPS):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"case": "wgan_gp_critic_step_b16_32px", "peer": "pytorch-cpu", "median_ms": round(statistics.median(times), 3), "reps": REPS, "blas": blas_in_use()}))
