/**
 * Procedural cartoon-face renderer: analytic shapes written straight into a Float32Array, with
 * 1-pixel analytic antialiasing (coverage = clamp(½ − signed distance in pixels)), no canvas.
 *
 * Geometry: the head is the union of two ellipsoids (cranium and jaw) in head coordinates
 * (x right, y up, z towards the viewer; units ≈ head half-width). The pose rotates head → world by
 * R = Rz(roll)·Rx(pitch)·Ry(yaw) and the world is projected orthographically onto the image.
 * Per pixel, the cranium/jaw/hair ellipsoids are ray-cast exactly (quadratic in z; the silhouette is
 * the Schur complement of the ellipsoid's quadric) and Lambert-shaded. Facial features are drawn
 * in the tangent plane of the surface point they sit on (an affine frame from the projected
 * tangent vectors), so a pose change foreshortens and shifts them as on a real head; the nose tip
 * stands out of the surface and shows parallax. Action units move the features (see AU_DESCRIPTIONS).
 */
import { AU_NAMES, auVector } from './aus.js';
import { HAIR_COLORS, IRIS_COLORS, SKIN_PALETTE, type FaceIdentity, type FaceParams, type FacePose } from './params.js';

export type FaceMode = 'rgb' | 'gray' | 'fer';

export interface RenderFaceOptions {
  /** Image side in pixels. Default 64 (48 in 'fer' mode). 32, 64 and 128 are the supported sizes; any size ≥ 16 works. */
  size?: number;
  /** 'rgb' (3 channels), 'gray' (1 channel, same framing) or 'fer' (1 channel, tight FER2013-like crop). Default 'rgb'. */
  mode?: FaceMode;
  /** Write into this array at `offset` instead of allocating (length ≥ offset + size²·channels). */
  out?: Float32Array;
  offset?: number;
}

const AU = Object.fromEntries(AU_NAMES.map((n, i) => [n, i])) as Record<(typeof AU_NAMES)[number], number>;

const LIGHT = (() => {
  const l = [-0.35, 0.45, 0.82];
  const n = Math.hypot(l[0], l[1], l[2]);
  return [l[0] / n, l[1] / n, l[2] / n];
})();

interface Canvas {
  buf: Float32Array; // RGB 0..1
  size: number;
  cx: number; // pixel x of the head centre
  cy: number;
  scale: number; // pixels per head unit
  head: Float32Array; // per-pixel coverage of the head (cranium ∪ jaw)
  clip: boolean; // features multiply their coverage by `head` (they never spill over the silhouette)
}

interface Ellipsoid {
  cx: number;
  cy: number;
  cz: number;
  mxx: number;
  mxy: number;
  mxz: number;
  myy: number;
  myz: number;
  mzz: number;
  sxx: number;
  sxy: number;
  syy: number;
  hx: number; // half extents of the silhouette (world units)
  hy: number;
}

type Mat3 = Float64Array; // row-major

function rotation(pose: FacePose): Mat3 {
  const cyw = Math.cos(pose.yaw),
    syw = Math.sin(pose.yaw);
  const cp = Math.cos(pose.pitch),
    sp = Math.sin(pose.pitch);
  const cr = Math.cos(pose.roll),
    sr = Math.sin(pose.roll);
  const ry = [cyw, 0, syw, 0, 1, 0, -syw, 0, cyw];
  const rx = [1, 0, 0, 0, cp, sp, 0, -sp, cp];
  const rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  return mul3(rz, mul3(rx, ry));
}

function mul3(a: ArrayLike<number>, b: ArrayLike<number>): Mat3 {
  const o = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) o[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
  return o;
}

function ellipsoid(R: Mat3, c: [number, number, number], r: [number, number, number]): Ellipsoid {
  const d = [1 / (r[0] * r[0]), 1 / (r[1] * r[1]), 1 / (r[2] * r[2])];
  const m = (i: number, j: number): number => R[i * 3] * R[j * 3] * d[0] + R[i * 3 + 1] * R[j * 3 + 1] * d[1] + R[i * 3 + 2] * R[j * 3 + 2] * d[2];
  const mxx = m(0, 0),
    mxy = m(0, 1),
    mxz = m(0, 2),
    myy = m(1, 1),
    myz = m(1, 2),
    mzz = m(2, 2);
  const sxx = mxx - (mxz * mxz) / mzz,
    sxy = mxy - (mxz * myz) / mzz,
    syy = myy - (myz * myz) / mzz;
  const det = sxx * syy - sxy * sxy;
  return {
    cx: R[0] * c[0] + R[1] * c[1] + R[2] * c[2],
    cy: R[3] * c[0] + R[4] * c[1] + R[5] * c[2],
    cz: R[6] * c[0] + R[7] * c[1] + R[8] * c[2],
    mxx,
    mxy,
    mxz,
    myy,
    myz,
    mzz,
    sxx,
    sxy,
    syy,
    hx: Math.sqrt(syy / det),
    hy: Math.sqrt(sxx / det),
  };
}

// Scratch for ray hits: [z, nx, ny, nz] of the last hit.
const HIT = new Float64Array(4);

/** Coverage of pixel (X, Y) (world units) by the ellipsoid's silhouette; fills HIT with the front point's z and normal. */
function hit(e: Ellipsoid, X: number, Y: number, scale: number): number {
  const dx = X - e.cx,
    dy = Y - e.cy;
  const g = e.sxx * dx * dx + 2 * e.sxy * dx * dy + e.syy * dy * dy - 1;
  const gx = e.sxx * dx + e.sxy * dy,
    gy = e.sxy * dx + e.syy * dy;
  const dpx = (g / (2 * Math.sqrt(gx * gx + gy * gy) + 1e-12)) * scale;
  const cov = 0.5 - dpx;
  if (cov <= 0) return 0;
  const B = e.mxz * dx + e.myz * dy;
  const t = (-B + Math.sqrt(g < 0 ? -g * e.mzz : 0)) / e.mzz;
  const nx = e.mxx * dx + e.mxy * dy + e.mxz * t;
  const ny = e.mxy * dx + e.myy * dy + e.myz * t;
  const nz = e.mxz * dx + e.myz * dy + e.mzz * t;
  const inv = 1 / Math.sqrt(nx * nx + ny * ny + nz * nz);
  HIT[0] = e.cz + t;
  HIT[1] = nx * inv;
  HIT[2] = ny * inv;
  HIT[3] = nz * inv;
  return cov >= 1 ? 1 : cov;
}

/**
 * Pixel columns [x0, x1] of row `py` that can touch the ellipsoid's silhouette (grown by ~2 px for
 * the antialiased fringe), or null. Saves the bounding-box corners in the per-pixel loops.
 */
function rowSpan(e: Ellipsoid, cv: Canvas, py: number): [number, number] | null {
  const dy = (cv.cy - py - 0.5) / cv.scale - e.cy;
  const eps = 6 / (cv.scale * Math.min(e.hx, e.hy));
  const disc = (e.sxy * dy) ** 2 - e.sxx * (e.syy * dy * dy - 1 - eps);
  if (disc < 0) return null;
  const r = Math.sqrt(disc);
  const xa = (-e.sxy * dy - r) / e.sxx + e.cx,
    xb = (-e.sxy * dy + r) / e.sxx + e.cx;
  const x0 = Math.max(0, Math.floor(cv.cx + xa * cv.scale - 1)),
    x1 = Math.min(cv.size - 1, Math.ceil(cv.cx + xb * cv.scale + 1));
  return x0 <= x1 ? [x0, x1] : null;
}

function blend(buf: Float32Array, i: number, r: number, g: number, b: number, a: number): void {
  buf[i] += (r - buf[i]) * a;
  buf[i + 1] += (g - buf[i + 1]) * a;
  buf[i + 2] += (b - buf[i + 2]) * a;
}

function clamp01(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? 1 : v;
}

function hsv(h: number, s: number, v: number): [number, number, number] {
  const i = Math.floor(h * 6),
    f = h * 6 - i;
  const p = v * (1 - s),
    q = v * (1 - f * s),
    t = v * (1 - (1 - f) * s);
  switch (((i % 6) + 6) % 6) {
    case 0:
      return [v, t, p];
    case 1:
      return [q, v, p];
    case 2:
      return [p, v, t];
    case 3:
      return [p, q, v];
    case 4:
      return [t, p, v];
    default:
      return [v, p, q];
  }
}

function skinColor(tone: number): [number, number, number] {
  const t = clamp01(tone) * (SKIN_PALETTE.length - 1);
  const i = Math.min(Math.floor(t), SKIN_PALETTE.length - 2),
    f = t - i;
  const a = SKIN_PALETTE[i],
    b = SKIN_PALETTE[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** An affine frame: local (a, b) in head units on a tangent plane → pixel offset J·(a, b) from (px, py). */
interface Frame {
  px: number;
  py: number;
  j00: number;
  j01: number;
  j10: number;
  j11: number;
  i00: number;
  i01: number;
  i10: number;
  i11: number;
  s: number; // pixels per local unit (isotropic approximation)
  vis: number; // 0..1, fades features that turn away from the viewer
}

function frameFrom(cv: Canvas, R: Mat3, p: number[], u: number[], v: number[], n: number[] | null): Frame {
  const w = (x: number[]): number[] => [R[0] * x[0] + R[1] * x[1] + R[2] * x[2], R[3] * x[0] + R[4] * x[1] + R[5] * x[2], R[6] * x[0] + R[7] * x[1] + R[8] * x[2]];
  const P = w(p),
    U = w(u),
    V = w(v);
  const j00 = U[0] * cv.scale,
    j01 = V[0] * cv.scale,
    j10 = -U[1] * cv.scale,
    j11 = -V[1] * cv.scale;
  let det = j00 * j11 - j01 * j10;
  if (Math.abs(det) < 1e-9) det = det < 0 ? -1e-9 : 1e-9;
  const vis = n === null ? 1 : clamp01((w(n)[2] - 0.08) / 0.3);
  return {
    px: cv.cx + P[0] * cv.scale,
    py: cv.cy - P[1] * cv.scale,
    j00,
    j01,
    j10,
    j11,
    i00: j11 / det,
    i01: -j01 / det,
    i10: -j10 / det,
    i11: j00 / det,
    s: Math.sqrt(Math.abs(det)),
    vis,
  };
}

/** Pixel bounding box of the local rectangle [a0, a1] × [b0, b1], clipped to the canvas. */
function bbox(cv: Canvas, f: Frame, a0: number, a1: number, b0: number, b1: number): [number, number, number, number] {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (const a of [a0, a1]) {
    for (const b of [b0, b1]) {
      const x = f.px + f.j00 * a + f.j01 * b,
        y = f.py + f.j10 * a + f.j11 * b;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return [Math.max(0, Math.floor(x0 - 1)), Math.min(cv.size - 1, Math.ceil(x1 + 1)), Math.max(0, Math.floor(y0 - 1)), Math.min(cv.size - 1, Math.ceil(y1 + 1))];
}

/** Filled ellipse centred (ex, ey) with radii (ea, eb) in a frame's local coordinates. */
function drawEllipse(cv: Canvas, f: Frame, ex: number, ey: number, ea: number, eb: number, col: readonly number[], alpha: number): void {
  const a = alpha * f.vis;
  if (a <= 0.002) return;
  const [x0, x1, y0, y1] = bbox(cv, f, ex - ea, ex + ea, ey - eb, ey + eb);
  const { buf, size } = cv;
  for (let py = y0; py <= y1; py++) {
    const dy = py + 0.5 - f.py;
    for (let px = x0; px <= x1; px++) {
      const dx = px + 0.5 - f.px;
      const x = (f.i00 * dx + f.i01 * dy - ex) / ea,
        y = (f.i10 * dx + f.i11 * dy - ey) / eb;
      const g = x * x + y * y - 1;
      const gl = 2 * Math.sqrt((x / ea) * (x / ea) + (y / eb) * (y / eb)) + 1e-9;
      const cov = 0.5 - (g / gl) * f.s;
      if (cov > 0) blend(buf, (py * size + px) * 3, col[0], col[1], col[2], (cov >= 1 ? 1 : cov) * a * (cv.clip ? cv.head[py * size + px] : 1));
    }
  }
}

/**
 * A curved stroke from (x0, y0) to (x1, y1) with an upward arch and thickness tapering from
 * `th` at the start to 0.65·th at the end (a brow, a wrinkle).
 */
function drawStroke(cv: Canvas, f: Frame, x0: number, y0: number, x1: number, y1: number, arch: number, th: number, col: readonly number[], alpha: number): void {
  const a = alpha * f.vis;
  if (a <= 0.002) return;
  const lx = x1 - x0,
    ly = y1 - y0,
    len = Math.hypot(lx, ly);
  const dxn = lx / len,
    dyn = ly / len;
  const nx = -dyn * Math.sign(dxn || 1),
    ny = dxn * Math.sign(dxn || 1); // perpendicular pointing up
  const m = th + Math.abs(arch);
  const [bx0, bx1, by0, by1] = bbox(cv, f, Math.min(x0, x1) - m, Math.max(x0, x1) + m, Math.min(y0, y1) - m, Math.max(y0, y1) + m);
  const { buf, size } = cv;
  for (let py = by0; py <= by1; py++) {
    const dy = py + 0.5 - f.py;
    for (let px = bx0; px <= bx1; px++) {
      const dx = px + 0.5 - f.px;
      const qx = f.i00 * dx + f.i01 * dy - x0,
        qy = f.i10 * dx + f.i11 * dy - y0;
      const tu = (qx * dxn + qy * dyn) / len;
      const tc = tu < 0 ? 0 : tu > 1 ? 1 : tu;
      const e = qx * nx + qy * ny - arch * 4 * tc * (1 - tc);
      const o = (tu - tc) * len;
      const dist = Math.sqrt(e * e + o * o) - th * (1 - 0.35 * tc);
      const cov = 0.5 - dist * f.s;
      if (cov > 0) blend(buf, (py * size + px) * 3, col[0], col[1], col[2], (cov >= 1 ? 1 : cov) * a * (cv.clip ? cv.head[py * size + px] : 1));
    }
  }
}

function drawEye(cv: Canvas, f: Frame, ea: number, bt: number, bb: number, ri: number, iris: readonly number[], lid: readonly number[]): void {
  if (f.vis <= 0.002) return;
  const lw = 0.022;
  const [x0, x1, y0, y1] = bbox(cv, f, -ea - lw, ea + lw, -bb - lw, bt + lw);
  const { buf, size } = cv;
  const rp = ri * 0.5;
  for (let py = y0; py <= y1; py++) {
    const dy = py + 0.5 - f.py;
    for (let px = x0; px <= x1; px++) {
      const dx = px + 0.5 - f.px;
      const a = f.i00 * dx + f.i01 * dy,
        b = f.i10 * dx + f.i11 * dy;
      const eb = b >= 0 ? bt : bb;
      // outline: the eye shape grown by lw (thicker on the upper lid)
      const ol = b >= 0 ? lw * 1.4 : lw * 0.7;
      let x = a / (ea + ol),
        y = b / (eb + ol);
      let g = x * x + y * y - 1;
      let gl = 2 * Math.sqrt((x / (ea + ol)) ** 2 + (y / (eb + ol)) ** 2) + 1e-9;
      const cOut = clamp01(0.5 - (g / gl) * f.s);
      if (cOut <= 0) continue;
      const i = (py * size + px) * 3;
      const vis = f.vis * (cv.clip ? cv.head[py * size + px] : 1);
      blend(buf, i, lid[0], lid[1], lid[2], cOut * vis);
      x = a / ea;
      y = b / eb;
      g = x * x + y * y - 1;
      gl = 2 * Math.sqrt((x / ea) ** 2 + (y / eb) ** 2) + 1e-9;
      const cEye = clamp01(0.5 - (g / gl) * f.s);
      if (cEye <= 0) continue;
      blend(buf, i, 0.97, 0.97, 0.95, cEye * vis);
      const r = Math.sqrt(a * a + b * b);
      const cIris = clamp01(0.5 - (r - ri) * f.s) * cEye;
      if (cIris > 0) blend(buf, i, iris[0], iris[1], iris[2], cIris * vis);
      const cPupil = clamp01(0.5 - (r - rp) * f.s) * cEye;
      if (cPupil > 0) blend(buf, i, 0.04, 0.03, 0.03, cPupil * vis);
      const hx = a - ri * 0.35,
        hy = b - ri * 0.35;
      const cHi = clamp01(0.5 - (Math.sqrt(hx * hx + hy * hy) - ri * 0.28) * f.s) * cEye;
      if (cHi > 0) blend(buf, i, 1, 1, 1, cHi * 0.9 * vis);
    }
  }
}

interface MouthShape {
  w: number; // half width
  s: number; // corner lift (+ smile, − frown)
  hu: number; // upper opening
  hl: number; // lower opening
  tu: number; // upper lip thickness
  tl: number; // lower lip thickness
}

function drawMouth(cv: Canvas, f: Frame, m: MouthShape, lip: readonly number[]): void {
  if (f.vis <= 0.002) return;
  const pad = 0.02;
  const top = Math.max(m.s, 0) + m.hu + m.tu + pad,
    bottom = Math.min(m.s, 0) - m.hl - m.tl - pad;
  const [x0, x1, y0, y1] = bbox(cv, f, -m.w - pad, m.w + pad, bottom, top);
  const { buf, size } = cv;
  const open = m.hu + m.hl;
  const teeth = Math.min(0.045, 0.45 * open);
  const minHalf = 0.5 / f.s; // keep a closed mouth at least one pixel thick
  for (let py = y0; py <= y1; py++) {
    const dy = py + 0.5 - f.py;
    for (let px = x0; px <= x1; px++) {
      const dx = px + 0.5 - f.px;
      const a = f.i00 * dx + f.i01 * dy,
        b = f.i10 * dx + f.i11 * dy;
      const uu = Math.min(1, (a / m.w) * (a / m.w));
      const c = m.s * uu;
      const bulge = 1 - uu;
      const U = c + m.hu * bulge,
        L = c - m.hl * bulge;
      const ax = Math.abs(a) - m.w;
      // lips: the opening grown by the lip thickness
      const dl = Math.max(ax - 0.012, b - (U + m.tu * (1 - 0.6 * uu)), L - m.tl * (1 - 0.6 * uu) - b);
      const cLip = clamp01(0.5 - dl * f.s);
      if (cLip <= 0) continue;
      const i = (py * size + px) * 3;
      const vis = f.vis * (cv.clip ? cv.head[py * size + px] : 1);
      blend(buf, i, lip[0], lip[1], lip[2], cLip * vis);
      const half = Math.max(minHalf * 0.5, 0.004);
      const di = Math.max(ax, b - U - half, L - half - b);
      const cIn = clamp01(0.5 - di * f.s);
      if (cIn <= 0) continue;
      let r = 0.3,
        g = 0.06,
        bl = 0.08;
      if (open > 0.015) {
        if (b > U - teeth * bulge) {
          r = 0.95;
          g = 0.94;
          bl = 0.9;
        } else if (b < L + 0.35 * open * bulge && m.hl > 0.05) {
          r = 0.75;
          g = 0.3;
          bl = 0.35;
        }
      }
      blend(buf, i, r, g, bl, cIn * vis);
    }
  }
}

/** Pixels per channel plane and channel count of a render. */
export function faceImageShape(options: RenderFaceOptions = {}): [number, number, number] {
  const mode = options.mode ?? 'rgb';
  const size = options.size ?? (mode === 'fer' ? 48 : 64);
  return [size, size, mode === 'rgb' ? 3 : 1];
}

let scratch = new Float32Array(0);
let headScratch = new Float32Array(0);

function checkIdentity(id: FaceIdentity): void {
  const where = 'renderFace';
  const num = (k: keyof FaceIdentity, lo: number, hi: number): void => {
    const v = id[k] as number;
    if (typeof v !== 'number' || !(v >= lo && v <= hi)) throw new Error(`${where}: 'identity.${k}' must be a number in [${lo}, ${hi}]; got ${String(v)}`);
  };
  num('faceWidth', 0.6, 1.4);
  num('faceHeight', 0.6, 1.4);
  num('jawWidth', 0.4, 1.2);
  num('skinTone', 0, 1);
  num('eyeSpacing', 0.15, 0.5);
  num('eyeSize', 0.5, 1.6);
  num('mouthWidth', 0.5, 1.6);
  num('noseSize', 0.5, 1.6);
  num('backgroundHue', 0, 1);
  if (!Number.isInteger(id.hairColor) || id.hairColor < 0 || id.hairColor >= HAIR_COLORS.length)
    throw new Error(`${where}: 'identity.hairColor' must be an integer in [0, ${HAIR_COLORS.length - 1}]; got ${id.hairColor}`);
  if (!Number.isInteger(id.irisColor) || id.irisColor < 0 || id.irisColor >= IRIS_COLORS.length)
    throw new Error(`${where}: 'identity.irisColor' must be an integer in [0, ${IRIS_COLORS.length - 1}]; got ${id.irisColor}`);
  if (id.glasses !== undefined && typeof id.glasses !== 'boolean') throw new Error(`${where}: 'identity.glasses' must be a boolean; got ${String(id.glasses)}`);
  if (!['short', 'long', 'bun', 'bald'].includes(id.hairStyle)) throw new Error(`${where}: 'identity.hairStyle' must be short, long, bun or bald; got ${String(id.hairStyle)}`);
}

/**
 * Render one face. Returns (or writes into `options.out`) size·size·C floats in [−1, 1], row-major
 * HWC, C = 3 ('rgb') or 1 ('gray', 'fer': luminance 0.299R + 0.587G + 0.114B). Deterministic.
 */
export function renderFace(params: FaceParams, options: RenderFaceOptions = {}): Float32Array {
  const mode = options.mode ?? 'rgb';
  if (mode !== 'rgb' && mode !== 'gray' && mode !== 'fer') throw new Error(`renderFace: 'mode' must be 'rgb', 'gray' or 'fer'; got ${String(mode)}`);
  const [size, , channels] = faceImageShape(options);
  if (!Number.isInteger(size) || size < 16 || size > 1024) throw new Error(`renderFace: 'size' must be an integer in [16, 1024]; got ${size}`);
  if (!params || typeof params !== 'object' || !params.identity) throw new Error(`renderFace: 'params.identity' is required`);
  const id = params.identity;
  checkIdentity(id);
  const aus = auVector(params.aus, 'renderFace');
  const pose: FacePose = { yaw: params.pose?.yaw ?? 0, pitch: params.pose?.pitch ?? 0, roll: params.pose?.roll ?? 0 };
  for (const k of ['yaw', 'pitch', 'roll'] as const) {
    if (!(Math.abs(pose[k]) <= Math.PI / 2)) throw new Error(`renderFace: 'pose.${k}' must be in [−π/2, π/2] radians; got ${pose[k]}`);
  }
  const n = size * size * channels;
  const offset = options.offset ?? 0;
  let out = options.out;
  if (out) {
    if (!Number.isInteger(offset) || offset < 0 || out.length < offset + n) throw new Error(`renderFace: 'out' needs ${offset + n} elements (offset ${offset} + ${n}); got ${out.length}`);
  } else {
    out = new Float32Array(n);
  }
  if (scratch.length < size * size * 3) scratch = new Float32Array(size * size * 3);
  if (headScratch.length < size * size) headScratch = new Float32Array(size * size);
  headScratch.fill(0, 0, size * size);
  const cv: Canvas =
    mode === 'fer'
      ? { buf: scratch, size, cx: size / 2, cy: size * 0.5, scale: size * 0.36, head: headScratch, clip: false }
      : { buf: scratch, size, cx: size / 2, cy: size * 0.54, scale: size * 0.28, head: headScratch, clip: false };
  paint(cv, id, aus, pose);
  const buf = cv.buf;
  const px = size * size;
  if (channels === 3) {
    for (let i = 0; i < px * 3; i++) out[offset + i] = buf[i] * 2 - 1;
  } else {
    for (let i = 0; i < px; i++) out[offset + i] = (0.299 * buf[3 * i] + 0.587 * buf[3 * i + 1] + 0.114 * buf[3 * i + 2]) * 2 - 1;
  }
  return out;
}

/** The head's shape for one render: cranium and jaw ellipsoids (the jaw dropped by AU26) and the hair shell. */
interface HeadGeometry {
  rx: number;
  ry: number;
  rz: number;
  jawC: [number, number, number];
  jawR: [number, number, number];
  cranium: Ellipsoid;
  jaw: Ellipsoid;
  hairE: Ellipsoid;
}

/** Everything the feature painters share: canvas, rotation, identity, AUs, colours and head shape. */
interface FaceContext {
  cv: Canvas;
  R: Mat3;
  id: FaceIdentity;
  au: Float32Array;
  skin: [number, number, number];
  hair: readonly number[];
  g: HeadGeometry;
}

const FLAT: number[] = [1, 0, 0];
const UP: number[] = [0, 1, 0];

function paint(cv: Canvas, id: FaceIdentity, au: Float32Array, pose: FacePose): void {
  const R = rotation(pose);
  const skin = skinColor(id.skinTone);
  const hair = HAIR_COLORS[id.hairColor];
  const fh = id.faceHeight;
  paintBackground(cv, id);
  const g = headGeometry(R, id, au);
  const c: FaceContext = { cv, R, id, au, skin, hair, g };

  // long hair behind the head
  if (id.hairStyle === 'long') {
    const f = frameFrom(cv, R, [0, -0.25, -0.3], FLAT, UP, null);
    drawSuperEllipse(cv, f, 0, 0, g.rx * 1.12, 1.25 * fh, hair, 1);
  }
  const bunFront = id.hairStyle === 'bun' && R[6] * 0 + R[7] * 1.12 * fh + R[8] * -0.3 > 0.35;
  if (id.hairStyle === 'bun' && !bunFront) drawBun(cv, R, fh, hair);

  paintShouldersAndNeck(cv, id, pose, skin);
  paintEars(c);
  paintHead(c);
  if (id.hairStyle !== 'bald') paintHairCap(c);
  if (bunFront) drawBun(cv, R, fh, hair);

  // features on the face surface
  cv.clip = true; // facial features stay inside the head's silhouette (the nose may stand out)
  paintCheeks(c);
  const { ea, eb } = paintEyes(c);
  paintBrows(c);
  paintNose(c);
  if (id.glasses) paintGlasses(c, ea, eb);
  paintMouth(c);
}

/** Background: a vertical gradient of one hue. */
function paintBackground(cv: Canvas, id: FaceIdentity): void {
  const { buf, size } = cv;
  const top = hsv(id.backgroundHue, 0.3, 0.93),
    bot = hsv(id.backgroundHue, 0.45, 0.7);
  for (let py = 0; py < size; py++) {
    const t = py / (size - 1);
    const r = top[0] + (bot[0] - top[0]) * t,
      g = top[1] + (bot[1] - top[1]) * t,
      b = top[2] + (bot[2] - top[2]) * t;
    for (let px = 0, i = py * size * 3; px < size; px++, i += 3) {
      buf[i] = r;
      buf[i + 1] = g;
      buf[i + 2] = b;
    }
  }
}

function headGeometry(R: Mat3, id: FaceIdentity, au: Float32Array): HeadGeometry {
  const fw = id.faceWidth,
    fh = id.faceHeight;
  const rx = 0.9 * fw,
    ry = 1.1 * fh,
    rz = 0.95;
  const jawDrop = 0.1 * au[AU.AU26];
  const jawC: [number, number, number] = [0, -0.4 * fh - jawDrop, 0.02];
  const jawR: [number, number, number] = [rx * id.jawWidth, 0.74 * fh + jawDrop * 0.5, rz * 0.86];
  const cranium = ellipsoid(R, [0, 0, 0], [rx, ry, rz]);
  const jaw = ellipsoid(R, jawC, jawR);
  const hairE = ellipsoid(R, [0, 0.04, -0.02], [rx * 1.07, ry * 1.06, rz * 1.07]);
  return { rx, ry, rz, jawC, jawR, cranium, jaw, hairE };
}

/** Shoulders and neck (they do not follow the head's yaw and pitch; the neck follows its roll). */
function paintShouldersAndNeck(cv: Canvas, id: FaceIdentity, pose: FacePose, skin: [number, number, number]): void {
  const { scale } = cv;
  const shirt = hsv((id.backgroundHue + 0.5) % 1, 0.45, 0.55);
  const f: Frame = { px: cv.cx, py: cv.cy + 2.25 * scale, j00: scale, j01: 0, j10: 0, j11: -scale, i00: 1 / scale, i01: 0, i10: 0, i11: -1 / scale, s: scale, vis: 1 };
  drawEllipse(cv, f, 0, 0, 1.75, 0.8, shirt, 1);
  const cr = Math.cos(pose.roll * 0.5),
    sr = Math.sin(pose.roll * 0.5);
  const fn: Frame = { px: cv.cx, py: cv.cy, j00: cr * scale, j01: -sr * scale, j10: -sr * scale, j11: -cr * scale, i00: 0, i01: 0, i10: 0, i11: 0, s: scale, vis: 1 };
  const det = fn.j00 * fn.j11 - fn.j01 * fn.j10;
  fn.i00 = fn.j11 / det;
  fn.i01 = -fn.j01 / det;
  fn.i10 = -fn.j10 / det;
  fn.i11 = fn.j00 / det;
  drawSuperEllipse(cv, fn, 0, -1.35, 0.36 * id.faceWidth, 0.95, [skin[0] * 0.8, skin[1] * 0.78, skin[2] * 0.78], 1);
}

/** Ears: flat ellipses on planes turned 50° out of the sagittal plane; the head hides their inner half. */
function paintEars({ cv, R, skin, g }: FaceContext): void {
  for (const sx of [-1, 1]) {
    const u = [sx * Math.cos(0.87), 0, -Math.sin(0.87)];
    const f = frameFrom(cv, R, [sx * g.rx * 0.96, -0.05, -0.08], u, UP, null);
    drawEllipse(cv, f, 0, 0, 0.17, 0.22, [skin[0] * 0.92, skin[1] * 0.88, skin[2] * 0.86], 1);
    drawEllipse(cv, f, sx * 0.03, 0, 0.08, 0.13, [skin[0] * 0.75, skin[1] * 0.68, skin[2] * 0.66], 0.8);
  }
}

/** Head: union of cranium and jaw, Lambert-shaded; records the head's coverage in `cv.head`. */
function paintHead({ cv, skin, g }: FaceContext): void {
  const { buf, size, scale } = cv;
  const { cranium, jaw } = g;
  const hx = Math.max(cranium.hx, jaw.cx + jaw.hx, -(jaw.cx - jaw.hx));
  const x0 = Math.max(0, Math.floor(cv.cx - hx * scale - 2)),
    x1 = Math.min(size - 1, Math.ceil(cv.cx + hx * scale + 2));
  const yTop = Math.max(cranium.cy + cranium.hy, jaw.cy + jaw.hy),
    yBot = Math.min(cranium.cy - cranium.hy, jaw.cy - jaw.hy);
  const y0 = Math.max(0, Math.floor(cv.cy - yTop * scale - 2)),
    y1 = Math.min(size - 1, Math.ceil(cv.cy - yBot * scale + 2));
  for (let py = y0; py <= y1; py++) {
    const Y = (cv.cy - py - 0.5) / scale;
    const s1 = rowSpan(cranium, cv, py),
      s2 = rowSpan(jaw, cv, py);
    if (!s1 && !s2) continue;
    const xa = Math.max(x0, Math.min(s1 ? s1[0] : size, s2 ? s2[0] : size)),
      xb = Math.min(x1, Math.max(s1 ? s1[1] : -1, s2 ? s2[1] : -1));
    for (let px = xa; px <= xb; px++) {
      const X = (px + 0.5 - cv.cx) / scale;
      let cov = hit(cranium, X, Y, scale);
      let z = -Infinity,
        nx = 0,
        ny = 0,
        nz = 1;
      if (cov > 0) {
        z = HIT[0];
        nx = HIT[1];
        ny = HIT[2];
        nz = HIT[3];
      }
      const c2 = hit(jaw, X, Y, scale);
      if (c2 > 0) {
        // blend the normals near the crease where the jaw meets the cranium
        const w = z === -Infinity ? 1 : clamp01(0.5 + (HIT[0] - z) * 6);
        nx += (HIT[1] - nx) * w;
        ny += (HIT[2] - ny) * w;
        nz += (HIT[3] - nz) * w;
        const nl = 1 / Math.sqrt(nx * nx + ny * ny + nz * nz);
        nx *= nl;
        ny *= nl;
        nz *= nl;
        if (c2 > cov) cov = c2;
      }
      if (cov <= 0) continue;
      cv.head[py * size + px] = cov;
      const lam = nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2];
      const sh = 0.62 + 0.38 * (lam > 0 ? lam : 0);
      blend(buf, (py * size + px) * 3, skin[0] * sh, skin[1] * sh, skin[2] * sh, cov);
    }
  }
}

/** Hair cap: the part of a slightly larger ellipsoid above a hairline that drops towards the back. */
function paintHairCap({ cv, R, id, hair, g }: FaceContext): void {
  const { buf, size, scale } = cv;
  const { hairE } = g;
  const front = id.hairStyle === 'long' ? 0.33 : id.hairStyle === 'bun' ? 0.47 : 0.4;
  const drop = id.hairStyle === 'long' ? 0.62 : 0.44;
  const fringe = id.hairStyle === 'short' ? 0.05 : 0.02;
  const ax = g.rx * 1.07,
    ay = g.ry * 1.06,
    az = g.rz * 1.07;
  const x0 = Math.max(0, Math.floor(cv.cx + (hairE.cx - hairE.hx) * scale - 2)),
    x1 = Math.min(size - 1, Math.ceil(cv.cx + (hairE.cx + hairE.hx) * scale + 2));
  const y0 = Math.max(0, Math.floor(cv.cy - (hairE.cy + hairE.hy) * scale - 2)),
    y1 = Math.min(size - 1, Math.ceil(cv.cy - (hairE.cy - hairE.hy) * scale + 2));
  for (let py = y0; py <= y1; py++) {
    const Y = (cv.cy - py - 0.5) / scale;
    const sp = rowSpan(hairE, cv, py);
    if (!sp) continue;
    for (let px = Math.max(x0, sp[0]); px <= Math.min(x1, sp[1]); px++) {
      const X = (px + 0.5 - cv.cx) / scale;
      const cov = hit(hairE, X, Y, scale);
      if (cov <= 0) continue;
      const Z = HIT[0];
      // back to head coordinates: p = Rᵀ q
      const hxp = R[0] * X + R[3] * Y + R[6] * Z;
      const hyp = R[1] * X + R[4] * Y + R[7] * Z;
      const hzp = R[2] * X + R[5] * Y + R[8] * Z;
      const nxh = hxp / ax,
        nyh = (hyp - 0.04) / ay,
        nzh = (hzp + 0.02) / az;
      const line = front - drop * (1 - nzh) + fringe * Math.cos(nxh * 14) + (id.hairStyle === 'long' ? 0.06 * nxh : 0);
      const c = cov * clamp01(0.5 + (nyh - line) * ay * scale);
      if (c <= 0) continue;
      const lam = HIT[1] * LIGHT[0] + HIT[2] * LIGHT[1] + HIT[3] * LIGHT[2];
      const sh = (0.55 + 0.5 * (lam > 0 ? lam : 0)) * (1 + 0.07 * Math.sin(nxh * 38 + nyh * 9));
      blend(buf, (py * size + px) * 3, hair[0] * sh, hair[1] * sh, hair[2] * sh, c);
    }
  }
}

/** A point of the face surface (the front of cranium ∪ jaw) at (x, y), `dz` in front of it, with its tangent frame u, v and normal n. */
function faceSurface(g: HeadGeometry, x: number, y: number, dz = 0): { p: number[]; u: number[]; v: number[]; n: number[] } {
  const { rx, ry, rz, jawC, jawR } = g;
  let q = 1 - (x / rx) ** 2 - (y / ry) ** 2;
  let z = q > 0 ? rz * Math.sqrt(q) : 0;
  let n = [x / (rx * rx), y / (ry * ry), z / (rz * rz)];
  const jx = x - jawC[0],
    jy = y - jawC[1];
  q = 1 - (jx / jawR[0]) ** 2 - (jy / jawR[1]) ** 2;
  const z2 = q > 0 ? jawC[2] + jawR[2] * Math.sqrt(q) : -Infinity;
  if (z2 > z) {
    z = z2;
    n = [jx / jawR[0] ** 2, jy / jawR[1] ** 2, (z2 - jawC[2]) / jawR[2] ** 2];
  }
  const nl = Math.hypot(n[0], n[1], n[2]);
  n = [n[0] / nl, n[1] / nl, n[2] / nl];
  let u = [1 - n[0] * n[0], -n[0] * n[1], -n[0] * n[2]];
  const ul = Math.hypot(u[0], u[1], u[2]);
  u = [u[0] / ul, u[1] / ul, u[2] / ul];
  const v = [n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2], n[0] * u[1] - n[1] * u[0]];
  return { p: [x, y, z + dz], u, v, n };
}

/** The screen frame of the face surface at (x, y) (see {@link faceSurface}). */
function faceFrame({ cv, R, g }: FaceContext, x: number, y: number, dz = 0): Frame {
  const s = faceSurface(g, x, y, dz);
  return frameFrom(cv, R, s.p, s.u, s.v, s.n);
}

/** Cheeks (AU6 raises and flushes them). */
function paintCheeks(c: FaceContext): void {
  const a6 = c.au[AU.AU6];
  for (const sx of [-1, 1]) {
    const f = faceFrame(c, sx * (c.id.eyeSpacing + 0.06), -0.27 + 0.06 * a6);
    drawEllipse(c.cv, f, 0, 0, 0.13, 0.085, [0.95, 0.42, 0.42], 0.12 + 0.45 * a6);
  }
}

/** Eyes: lids opened by AU5, narrowed by AU6/AU7 (and a little by AU4). Returns the eye's half-width `ea` and half-height `eb`. */
function paintEyes(c: FaceContext): { ea: number; eb: number } {
  const { au, id } = c;
  const a4 = au[AU.AU4],
    a5 = au[AU.AU5],
    a6 = au[AU.AU6],
    a7 = au[AU.AU7];
  const sp = id.eyeSpacing,
    es = id.eyeSize;
  const lid = [0.12, 0.08, 0.07];
  const iris = IRIS_COLORS[id.irisColor];
  const eb = 0.12 * es,
    ea = 0.19 * es;
  const bt = eb * Math.max(0.12, 1 + 0.75 * a5 - 0.55 * a7 - 0.3 * a6 - 0.2 * a4);
  const bbm = eb * Math.max(0.1, 0.85 + 0.25 * a5 - 0.55 * a6 - 0.35 * a7);
  for (const sx of [-1, 1]) {
    const f = faceFrame(c, sx * sp, 0.04);
    drawEye(c.cv, f, ea, bt, bbm, 0.095 * es, iris, lid);
  }
  return { ea, eb };
}

/** Brows: inner end raised by AU1, outer by AU2, both lowered and drawn together by AU4. */
function paintBrows(c: FaceContext): void {
  const { au, hair } = c;
  const a1 = au[AU.AU1],
    a2 = au[AU.AU2],
    a4 = au[AU.AU4];
  const sp = c.id.eyeSpacing;
  const brow = [hair[0] * 0.7, hair[1] * 0.7, hair[2] * 0.7];
  for (const sx of [-1, 1]) {
    const f = faceFrame(c, sx * sp, 0.33);
    const xi = -sx * (0.15 + 0.06 * a4),
      xo = sx * 0.2;
    const yi = -0.02 + 0.17 * a1 - 0.13 * a4,
      yo = -0.04 + 0.17 * a2 - 0.05 * a4 + 0.04 * a1 * (1 - a2);
    drawStroke(c.cv, f, xi, yi, xo, yo, 0.04 * (1 - 0.7 * a4) + 0.02 * a2, 0.04 + 0.012 * a4, brow, 1);
  }
}

/** The shadow colour of the nostrils and AU9's nose wrinkles. */
function darkSkin(skin: [number, number, number]): number[] {
  return [skin[0] * 0.55, skin[1] * 0.45, skin[2] * 0.42];
}

/** Nose: a tip standing out of the surface (parallax under yaw/pitch) with shadow and nostrils; AU9 wrinkles it. */
function paintNose(c: FaceContext): void {
  const { cv, R, skin, g } = c;
  const { buf, size, scale } = cv;
  const a9 = c.au[AU.AU9];
  const dark = darkSkin(skin);
  const ns = c.id.noseSize;
  // the nose body: a small ellipsoid standing out of the face, ray-cast and shaded like the head,
  // so that it breaks the cheek line when the head turns
  const ny0 = -0.14 + 0.02 * a9;
  const zs = faceSurface(g, 0, ny0).p[2];
  const nr: [number, number, number] = [0.075 * ns, 0.15 * ns, 0.16 * ns];
  const noseE = ellipsoid(R, [0, ny0, zs - 0.06], nr);
  cv.clip = false;
  {
    const x0 = Math.max(0, Math.floor(cv.cx + (noseE.cx - noseE.hx) * scale - 2)),
      x1 = Math.min(size - 1, Math.ceil(cv.cx + (noseE.cx + noseE.hx) * scale + 2));
    const y0 = Math.max(0, Math.floor(cv.cy - (noseE.cy + noseE.hy) * scale - 2)),
      y1 = Math.min(size - 1, Math.ceil(cv.cy - (noseE.cy - noseE.hy) * scale + 2));
    for (let py = y0; py <= y1; py++) {
      const Y = (cv.cy - py - 0.5) / scale;
      for (let px = x0; px <= x1; px++) {
        const X = (px + 0.5 - cv.cx) / scale;
        const cov = hit(noseE, X, Y, scale);
        if (cov <= 0) continue;
        const lam = HIT[1] * LIGHT[0] + HIT[2] * LIGHT[1] + HIT[3] * LIGHT[2];
        const sh = 0.62 + 0.38 * (lam > 0 ? lam : 0);
        blend(buf, (py * size + px) * 3, skin[0] * sh, skin[1] * sh, skin[2] * sh, cov * 0.85);
      }
    }
  }
  const tipY = -0.24 + 0.02 * a9;
  const tq = 1 - ((tipY - ny0) / nr[1]) ** 2;
  const f = faceFrame(c, 0, tipY, Math.max(0, zs - 0.06 + nr[2] * Math.sqrt(Math.max(0, tq)) - faceSurface(g, 0, tipY).p[2]));
  drawEllipse(cv, f, 0.03, -0.02, 0.095 * ns, 0.07 * ns, [skin[0] * 0.68, skin[1] * 0.6, skin[2] * 0.58], 0.85);
  drawEllipse(cv, f, -0.01, 0.01, 0.07 * ns, 0.05 * ns, [Math.min(1, skin[0] * 1.05), Math.min(1, skin[1] * 1.04), Math.min(1, skin[2] * 1.03)], 0.7);
  for (const sx of [-1, 1]) drawEllipse(cv, f, sx * 0.042 * ns, -0.045 * ns, 0.024 * ns, 0.015 * ns, dark, 0.9);
  cv.clip = true;
  if (a9 > 0) {
    const fb = faceFrame(c, 0, -0.04, 0.05);
    for (const yy of [0, 0.05]) drawStroke(cv, fb, -0.075, yy, 0.075, yy, 0.015, 0.014, dark, a9);
  }
}

/** Glasses: two rims standing a little off the face (parallax under yaw) and a bridge; `ea`, `eb` are the eye's half-axes. */
function paintGlasses(c: FaceContext, ea: number, eb: number): void {
  const sp = c.id.eyeSpacing;
  const frameCol = [0.1, 0.1, 0.12];
  const ra = ea * 1.32,
    rb = eb * 2.05;
  for (const sx of [-1, 1]) {
    const f = faceFrame(c, sx * sp, 0.05, 0.06);
    drawEllipse(c.cv, f, 0, 0, ra, rb, [0.85, 0.92, 1], 0.18);
    drawRing(c.cv, f, ra, rb, 0.03, frameCol);
  }
  const inner = Math.max(0.02, sp - ra * 0.98);
  drawStroke(c.cv, faceFrame(c, 0, 0.08, 0.1), -inner, 0, inner, 0, 0.025, 0.016, frameCol, 1);
}

/** Mouth: widened by AU12/AU20, corners raised by AU12 and lowered by AU15, lips parted by AU25/AU26, pressed by AU23. */
function paintMouth(c: FaceContext): void {
  const { au, skin } = c;
  const a9 = au[AU.AU9],
    a12 = au[AU.AU12],
    a15 = au[AU.AU15],
    a20 = au[AU.AU20],
    a23 = au[AU.AU23],
    a25 = au[AU.AU25],
    a26 = au[AU.AU26];
  const mw = c.id.mouthWidth;
  const f = faceFrame(c, 0, -0.56 - 0.04 * a26);
  const lipTone = [skin[0] * 0.55 + 0.4 * 0.45, skin[1] * 0.55 + 0.15 * 0.45, skin[2] * 0.55 + 0.16 * 0.45];
  drawMouth(
    c.cv,
    f,
    {
      w: 0.3 * mw * (1 + 0.25 * a12 + 0.32 * a20 - 0.3 * a23 - 0.12 * a26),
      s: 0.14 * a12 - 0.11 * a15 - 0.015 * a20,
      hu: 0.035 * a25 + 0.03 * a26 + 0.04 * a9 + 0.015 * a12 * a25,
      hl: 0.04 * a25 + 0.18 * a26 + 0.02 * a20 * a25,
      tu: 0.03 * (1 - 0.65 * a23),
      tl: 0.042 * (1 - 0.65 * a23),
    },
    lipTone,
  );
}

/** An elliptic ring of width `th` (local units) along the ellipse with radii (ea, eb) centred on the frame. */
function drawRing(cv: Canvas, f: Frame, ea: number, eb: number, th: number, col: readonly number[]): void {
  if (f.vis <= 0.002) return;
  const [x0, x1, y0, y1] = bbox(cv, f, -ea - th, ea + th, -eb - th, eb + th);
  const { buf, size } = cv;
  for (let py = y0; py <= y1; py++) {
    const dy = py + 0.5 - f.py;
    for (let px = x0; px <= x1; px++) {
      const dx = px + 0.5 - f.px;
      const x = (f.i00 * dx + f.i01 * dy) / ea,
        y = (f.i10 * dx + f.i11 * dy) / eb;
      const g = x * x + y * y - 1;
      const gl = 2 * Math.sqrt((x / ea) * (x / ea) + (y / eb) * (y / eb)) + 1e-9;
      const cov = 0.5 - (Math.abs(g / gl) - th / 2) * f.s;
      if (cov > 0) blend(buf, (py * size + px) * 3, col[0], col[1], col[2], (cov >= 1 ? 1 : cov) * f.vis * (cv.clip ? cv.head[py * size + px] : 1));
    }
  }
}

/** Filled superellipse |x/A|⁴ + |y/B|⁴ ≤ 1 (hair, neck). */
function drawSuperEllipse(cv: Canvas, f: Frame, ex: number, ey: number, A: number, B: number, col: readonly number[], alpha: number): void {
  const [x0, x1, y0, y1] = bbox(cv, f, ex - A, ex + A, ey - B, ey + B);
  const { buf, size } = cv;
  for (let py = y0; py <= y1; py++) {
    const dy = py + 0.5 - f.py;
    for (let px = x0; px <= x1; px++) {
      const dx = px + 0.5 - f.px;
      const x = (f.i00 * dx + f.i01 * dy - ex) / A,
        y = (f.i10 * dx + f.i11 * dy - ey) / B;
      const x2 = x * x,
        y2 = y * y;
      const g = x2 * x2 + y2 * y2 - 1;
      const gx = (4 * x2 * x) / A,
        gy = (4 * y2 * y) / B;
      const cov = 0.5 - (g / (Math.sqrt(gx * gx + gy * gy) + 1e-9)) * f.s;
      if (cov > 0) blend(buf, (py * size + px) * 3, col[0], col[1], col[2], (cov >= 1 ? 1 : cov) * alpha);
    }
  }
}

function drawBun(cv: Canvas, R: Mat3, fh: number, hair: readonly number[]): void {
  const e = ellipsoid(R, [0, 1.12 * fh, -0.3], [0.33, 0.3, 0.33]);
  const { buf, size, scale } = cv;
  const x0 = Math.max(0, Math.floor(cv.cx + (e.cx - e.hx) * scale - 2)),
    x1 = Math.min(size - 1, Math.ceil(cv.cx + (e.cx + e.hx) * scale + 2));
  const y0 = Math.max(0, Math.floor(cv.cy - (e.cy + e.hy) * scale - 2)),
    y1 = Math.min(size - 1, Math.ceil(cv.cy - (e.cy - e.hy) * scale + 2));
  for (let py = y0; py <= y1; py++) {
    const Y = (cv.cy - py - 0.5) / scale;
    for (let px = x0; px <= x1; px++) {
      const X = (px + 0.5 - cv.cx) / scale;
      const cov = hit(e, X, Y, scale);
      if (cov <= 0) continue;
      const lam = HIT[1] * LIGHT[0] + HIT[2] * LIGHT[1] + HIT[3] * LIGHT[2];
      const sh = 0.55 + 0.5 * (lam > 0 ? lam : 0);
      blend(buf, (py * size + px) * 3, hair[0] * sh, hair[1] * sh, hair[2] * sh, cov);
    }
  }
}
