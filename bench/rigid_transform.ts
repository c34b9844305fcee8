/**
 * Benchmark of HoloGAN's 3D rigid transform: `rigidTransform3d` forward + backward (gradients
 * w.r.t. the volume and the view) on a [8, 16, 16, 16, 64] volume, against PyTorch's
 * `affine_grid` + trilinear `grid_sample` (forward + backward w.r.t. volume and theta) measured in
 * the same run (Debian /usr/bin/python3, python3-torch; the peer runs first, alone).
 *
 *   npx tsx bench/rigid_transform.ts [--reps 5] [--backends cpu,wasm] [--shape 8,16,16,16,64]
 *
 * One JSON line per case and backend: median ms, GFLOP/s of the interpolation arithmetic
 * (forward 8 corners × 2 flop per output value; backward ≈ 2× that for the volume plus the
 * coordinate gradient), the peer's time, and `ratio` = gankit / PyTorch (lower is better).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { execFileSync } from 'node:child_process';
import { setupBackend } from '../src/backend/setup.js';
import { rigidTransform3d } from '../src/layers/rigid_transform_3d.js';
import { sampleViews } from '../src/layers/view_sampling.js';
import { Random } from '../src/util/random.js';

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const REPS = Number(arg('reps', '5'));
const BACKENDS = arg('backends', 'cpu,wasm').split(',') as ('cpu' | 'wasm')[];
const SHAPE = arg('shape', '8,16,16,16,64').split(',').map(Number) as [number, number, number, number, number];
const [B, D, H, W, C] = SHAPE;
const OUTPUTS = B * D * H * W * C;
const FWD_GFLOP = (OUTPUTS * 8 * 2) / 1e9;
const FWDBWD_GFLOP = FWD_GFLOP * 4; // forward + volume scatter (same) + coordinate gradient (two passes' worth)

const PEER = String.raw`
import json, sys, time, math
import torch
import torch.nn.functional as F
B, D, H, W, C, reps = [int(v) for v in sys.argv[1:7]]
torch.set_num_threads(2)
torch.manual_seed(0)
vol = torch.randn(B, C, D, H, W)
az = torch.tensor([math.radians(220 + 11 * i % 100) for i in range(B)]) - math.pi / 2
el = torch.tensor([math.radians(-20 + 5 * i % 40) for i in range(B)])
def theta_of(az, el):
    ca, sa, ce, se = torch.cos(az), torch.sin(az), torch.cos(el), torch.sin(el)
    z = torch.zeros_like(az)
    rows = [torch.stack([ce * ca, se, -ce * sa, z], 1), torch.stack([-se * ca, ce, se * sa, z], 1), torch.stack([sa, z, ca, z], 1)]
    return torch.stack(rows, 1)
def run(backward):
    v = vol.clone().requires_grad_(backward)
    a = az.clone().requires_grad_(backward)
    theta = theta_of(a, el)
    grid = F.affine_grid(theta, (B, C, D, H, W), align_corners=True)
    out = F.grid_sample(v, grid, mode='bilinear', padding_mode='zeros', align_corners=True)
    if backward:
        out.backward(torch.ones_like(out) * 0.5)
        return v.grad.sum().item() + a.grad.sum().item()
    return out.sum().item()
for name, bw in (('forward', False), ('forward_backward', True)):
    run(bw)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); run(bw); ts.append((time.perf_counter() - t0) * 1000)
    ts.sort()
    print(json.dumps({'case': name, 'median_ms': ts[len(ts) // 2], 'peer': 'torch-' + torch.__version__ + '-threads' + str(torch.get_num_threads())}))
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  const peer = new Map<string, { median_ms: number; peer: string }>();
  try {
    const out = execFileSync('/usr/bin/python3', ['-c', PEER, ...SHAPE.map(String), String(REPS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    for (const line of out.split('\n')) if (line.trim()) peer.set(JSON.parse(line).case, JSON.parse(line));
  } catch (e) {
    console.error(`bench/rigid_transform: PyTorch peer failed (${(e as Error).message}); printing gankit timings only`);
  }
  const volumeData = new Random(1).normalArray(OUTPUTS);
  for (const backend of BACKENDS) {
    await setupBackend(backend, { log: () => {} });
    const volume = tf.tensor(volumeData, SHAPE);
    const view = sampleViews(B, {}, 2);
    const upstream = tf.fill([B, H, D, W, C], 0.5);
    const cases: [string, () => void, number][] = [
      ['forward', () => tf.tidy(() => void rigidTransform3d(volume, view).dataSync()), FWD_GFLOP],
      [
        'forward_backward',
        () =>
          tf.tidy(() => {
            // Upstream gradient given explicitly, as the peer's out.backward(0.5 · ones).
            const [gv, gp] = tf.grads((v: tf.Tensor, p: tf.Tensor) => rigidTransform3d(v, p))([volume, view], upstream);
            gv.dataSync();
            gp.dataSync();
          }),
        FWDBWD_GFLOP,
      ],
    ];
    for (const [name, fn, gflop] of cases) {
      const before = tf.memory().numTensors;
      fn();
      const ts: number[] = [];
      for (let i = 0; i < REPS; i++) {
        const t0 = performance.now();
        fn();
        ts.push(performance.now() - t0);
      }
      const ms = median(ts);
      const p = peer.get(name);
      const line: Record<string, unknown> = {
        case: `rigid_transform_3d_${name}`,
        peer: `gankit-${backend}`,
        shape: SHAPE,
        median_ms: Math.round(ms * 10) / 10,
        reps: REPS,
        gflop: Math.round(gflop * 1000) / 1000,
        gflops: Math.round((gflop / (ms / 1000)) * 100) / 100,
        tensors_delta: tf.memory().numTensors - before,
      };
      if (p) {
        line.python = p.peer;
        line.python_ms = Math.round(p.median_ms * 10) / 10;
        line.ratio = Math.round((ms / p.median_ms) * 100) / 100;
      }
      console.log(JSON.stringify(line));
    }
    tf.dispose([volume, view, upstream]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
