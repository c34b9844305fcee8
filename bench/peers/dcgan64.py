"""PyTorch CPU peer of bench/cases/dcgan64.ts: the same DCGAN-64 (G: dense -> 4 transposed convs,
BN+ReLU, tanh; D: 4 strided convs + LeakyReLU(0.2) + dense), Adam(2e-4, 0.5), BCE on logits,
batch 16 train step (one D step + one G step) and G forward at batch 64. Two threads (--threads N
to change; the peer is then named pytorch-cpu-Nt).
Prints one JSON line per case, plus the BLAS library actually loaded (from /proc/self/maps).

Run with Debian's /usr/bin/python3 (python3-torch) and libopenblas0-pthread installed.
"""
import json
import sys

import torch
import torch.nn as nn

from peer_common import BLAS_THREADS, REPS, blas_in_use, measure  # first: sets the thread layout


def generator():
    layers = [nn.Linear(100, 4 * 4 * 512, bias=False), nn.Unflatten(1, (512, 4, 4)), nn.BatchNorm2d(512, momentum=0.1, eps=1e-5), nn.ReLU()]
    ch = 512
    for f in (256, 128, 64):
        layers += [nn.ConvTranspose2d(ch, f, 4, 2, 1, bias=False), nn.BatchNorm2d(f, momentum=0.1, eps=1e-5), nn.ReLU()]
        ch = f
    layers += [nn.ConvTranspose2d(ch, 3, 4, 2, 1), nn.Tanh()]
    return nn.Sequential(*layers)


def discriminator():
    layers = []
    ch = 3
    for f in (64, 128, 256, 512):
        layers += [nn.Conv2d(ch, f, 4, 2, 1), nn.LeakyReLU(0.2)]
        ch = f
    layers += [nn.Flatten(), nn.Linear(512 * 4 * 4, 1)]
    return nn.Sequential(*layers)


def main():
    g_fwd = 2 * (100 * 8192 + 16 * 16 * 512 * 256 + 64 * 16 * 256 * 128 + 256 * 16 * 128 * 64 + 1024 * 16 * 64 * 3) / 1e9
    d_fwd = 2 * (1024 * 16 * 3 * 64 + 256 * 16 * 64 * 128 + 64 * 16 * 128 * 256 + 16 * 16 * 256 * 512 + 8192) / 1e9
    step_gflop = 16 * (g_fwd * 4 + d_fwd * (3 * 2 + 2))
    torch.manual_seed(0)
    G, D = generator(), discriminator()
    blas = blas_in_use()
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    if only in (None, "dcgan64_g_forward_b64"):
        z = torch.randn(64, 100)
        G.eval()

        def fwd():
            with torch.no_grad():
                G(z)

        r = measure("dcgan64_g_forward_b64", fwd, REPS, gflop=64 * g_fwd)
        r["blas"] = blas
        r["threads"] = torch.get_num_threads()
        r["blas_threads"] = BLAS_THREADS
        print(json.dumps(r), flush=True)
    # --batches 8,16,32,64: the training step at each batch size (dcgan64_train_step_b<N>)
    batches = [int(b) for b in sys.argv[sys.argv.index("--batches") + 1].split(",")] if "--batches" in sys.argv else [16]
    for batch in batches:
        name = f"dcgan64_train_step_b{batch}"
        if only not in (None, name):
            continue
        G.train()
        D.train()
        opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
        opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
        bce = nn.BCEWithLogitsLoss()
        ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

        def step():
            z = torch.randn(batch, 100)
            real = torch.rand(batch, 3, 64, 64) * 2 - 1
            fake = G(z)
            opt_d.zero_grad()
            d_loss = bce(D(real), ones) + bce(D(fake.detach()), zeros)
            d_loss.backward()
            opt_d.step()
            opt_g.zero_grad()
            g_loss = bce(D(G(z)), ones)
            g_loss.backward()
            opt_g.step()
            return d_loss.item(), g_loss.item()

        r = measure(name, step, REPS, gflop=step_gflop * batch / 16)
        r["blas"] = blas
        r["threads"] = torch.get_num_threads()
        r["blas_threads"] = BLAS_THREADS
        print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
