"""PyTorch CPU peer of bench/cases/hologan64.ts: the same HoloGAN-64 generator/discriminator shapes
(thunguyenphuoc/HoloGAN model_HoloGAN.py generator_AdaIN / discriminator_IN, channels last in
gankit, NCHW/NCDHW here), one generator step (softplus(-D(G(z, view))), Adam), batch 8, 2 threads.
The 3D rigid transform is affine_grid + grid_sample (trilinear), the same resampling gankit does.
Prints one JSON line with the BLAS actually loaded.
"""
import json
import math
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

from peer_common import BLAS_THREADS, REPS, blas_in_use, measure  # first: sets the thread layout

warnings.filterwarnings("ignore", message="Using padding='same'")
B, Z, GF, DF = 8, 128, 64, 64


def adain(x, scale, bias, eps=1e-8):
    dims = tuple(range(2, x.dim()))
    mean = x.mean(dims, keepdim=True)
    var = x.var(dims, keepdim=True, unbiased=False)
    shape = (x.shape[0], x.shape[1]) + (1,) * (x.dim() - 2)
    return scale.view(shape) * (x - mean) / torch.sqrt(var + eps) + bias.view(shape)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.const = nn.Parameter(torch.randn(1, GF * 8, 4, 4, 4) * 0.02)
        chans = [GF * 8, GF * 2, GF, GF * 4, GF]
        self.styles = nn.ModuleList([nn.Linear(Z, 2 * c) for c in chans])
        self.d1 = nn.ConvTranspose3d(GF * 8, GF * 2, 3, 2, 1, output_padding=1)
        self.d2 = nn.ConvTranspose3d(GF * 2, GF, 3, 2, 1, output_padding=1)
        self.proj = nn.Conv2d(GF * 16, GF * 16, 1)
        self.u1 = nn.ConvTranspose2d(GF * 16, GF * 4, 4, 2, 1)
        self.u2 = nn.ConvTranspose2d(GF * 4, GF, 4, 2, 1)
        self.out = nn.Conv2d(GF, 3, 4, 1, padding="same")  # k4 s1 transposed conv == k4 conv (same shapes/FLOPs)

    def style(self, i, z, h):
        s = F.relu(self.styles[i](z))
        c = s.shape[1] // 2
        return F.relu(adain(h, s[:, :c], s[:, c:]))

    def forward(self, z, view):
        h = self.style(0, z, self.const.expand(z.shape[0], -1, -1, -1, -1))
        h = self.style(1, z, self.d1(h))
        h = self.style(2, z, self.d2(h))
        az, el = view[:, 0] - math.pi / 2, view[:, 1]
        ca, sa, ce, se = torch.cos(az), torch.sin(az), torch.cos(el), torch.sin(el)
        zero = torch.zeros_like(ca)
        rot = torch.stack([ce * ca, se, -ce * sa, -se * ca, ce, se * sa, sa, zero, ca], 1).view(-1, 3, 3)
        theta = torch.cat([rot, torch.zeros(z.shape[0], 3, 1)], 2)
        grid = F.affine_grid(theta, list(h.shape), align_corners=False)
        h = F.grid_sample(h, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        n, c, d, hh, ww = h.shape
        h = F.relu(self.proj(h.reshape(n, c * d, hh, ww)))
        h = self.style(3, z, self.u1(h))
        h = self.style(4, z, self.u2(h))
        return torch.tanh(self.out(h))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.c0 = nn.Conv2d(3, DF, 5, 2, 2)
        self.cs = nn.ModuleList([nn.utils.spectral_norm(nn.Conv2d(DF * 2 ** (k - 1), DF * 2 ** k, 5, 2, 2)) for k in (1, 2, 3)])
        self.ins = nn.ModuleList([nn.InstanceNorm2d(DF * 2 ** k, affine=True, eps=1e-5) for k in (1, 2, 3)])
        self.lin = nn.Linear(DF * 8 * 4 * 4, 1)
        self.lat = nn.Linear(DF * 8 * 4 * 4, 128)
        self.latp = nn.Linear(128, Z)

    def forward(self, x):
        h = F.leaky_relu(self.c0(x), 0.2)
        for conv, norm in zip(self.cs, self.ins):
            h = F.leaky_relu(norm(conv(h)), 0.2)
        flat = h.flatten(1)
        return self.lin(flat), torch.tanh(self.latp(F.leaky_relu(self.lat(flat), 0.2)))


def main():
    torch.manual_seed(0)
    G, D = Generator(), Discriminator()
    G.train()
    D.train()
    opt = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.5, 0.999))

    def step():
        z = torch.rand(B, Z) * 2 - 1
        view = torch.cat([torch.rand(B, 2) * 2 - 1, torch.ones(B, 3), torch.zeros(B, 1)], 1)
        opt.zero_grad()
        logit, _ = D(G(z, view))
        loss = F.softplus(-logit).mean()
        loss.backward()
        opt.step()
        return loss.item()

    r = measure("hologan64_g_step_b8", step, REPS)
    print(json.dumps({**r, "blas": blas_in_use(), "threads": torch.get_num_threads(), "blas_threads": BLAS_THREADS}), flush=True)

if __name__ == "__main__":
    main()
