import { describe, expect, it } from 'vitest';
import {
  AU_NAMES,
  EMOTIONS,
  OPENFACE_AU_NAMES,
  auRegionMask,
  toOpenFaceAus,
  auRegionMasks,
  defaultIdentity,
  emotionFromAus,
  emotionPrototype,
  emotionScores,
  FACE_ATTRIBUTE_NAMES,
  faceAttributes,
  faceImageShape,
  IDENTITY_FEATURES,
  identityVector,
  renderFace,
  sampleFaceParams,
  synthFaceDataset,
  type FaceParams,
} from '../../src/data/synth_faces/index.js';
import { expectNoLeak } from '../helpers/index.js';
import { pearson64 } from '../../src/metrics/correlation.js';

const S = 64;

/** Centroid (x, y) in pixels of a size×size 0/1 mask, and its pixel count. */
function centroid(mask: Float32Array, size = S): { x: number; y: number; n: number } {
  let sx = 0,
    sy = 0,
    n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] > 0) {
      sx += (i % size) + 0.5;
      sy += Math.floor(i / size) + 0.5;
      n++;
    }
  }
  return { x: sx / n, y: sy / n, n };
}

describe('renderFace', () => {
  const id = defaultIdentity();

  it('renders 32, 64 and 128 RGB and 48×48 FER-like grayscale in [−1, 1]', () => {
    for (const [size, mode, c] of [
      [32, 'rgb', 3],
      [64, 'rgb', 3],
      [128, 'rgb', 3],
      [undefined, 'fer', 1],
      [64, 'gray', 1],
    ] as const) {
      const img = renderFace({ identity: id }, { size, mode });
      const [h, w, ch] = faceImageShape({ size, mode });
      expect(ch).toBe(c);
      expect(img.length).toBe(h * w * ch);
      if (mode === 'fer') expect(h).toBe(48);
      let lo = Infinity,
        hi = -Infinity;
      for (const v of img) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(lo).toBeGreaterThanOrEqual(-1);
      expect(hi).toBeLessThanOrEqual(1);
      expect(hi - lo).toBeGreaterThan(1); // a real picture, not a flat field
    }
  });

  it('is deterministic and writes into a caller array at an offset', () => {
    const p: FaceParams = { identity: id, aus: { AU12: 0.7, AU6: 0.5 }, pose: { yaw: 0.2 } };
    const a = renderFace(p);
    const out = new Float32Array(10 + a.length);
    renderFace(p, { out, offset: 10 });
    expect(Array.from(out.subarray(10))).toEqual(Array.from(a));
  });

  it('gray mode is the luminance of the RGB render', () => {
    const p: FaceParams = { identity: id, aus: { AU26: 0.8 } };
    const rgb = renderFace(p, { size: 32 });
    const gray = renderFace(p, { size: 32, mode: 'gray' });
    for (let i = 0; i < gray.length; i += 37) {
      const y = 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
      expect(gray[i]).toBeCloseTo(y, 5);
    }
  });

  it('yaw moves the face features to the side they turn to, pitch moves them up, roll swings the mouth', () => {
    const mouth = (pose: FaceParams['pose']): { x: number; y: number; n: number } => centroid(auRegionMask({ identity: id, pose }, 'AU12'));
    const front = mouth({});
    expect(Math.abs(front.x - S / 2)).toBeLessThan(0.75);
    expect(mouth({ yaw: 0.4 }).x).toBeGreaterThan(S / 2 + 3);
    expect(mouth({ yaw: -0.4 }).x).toBeLessThan(S / 2 - 3);
    expect(mouth({ pitch: 0.3 }).y).toBeLessThan(front.y - 2);
    expect(mouth({ pitch: -0.3 }).y).toBeGreaterThan(front.y + 1);
    // counter-clockwise roll carries the mouth (below the head centre) to the right
    expect(mouth({ roll: 0.3 }).x).toBeGreaterThan(S / 2 + 2);
    // yaw foreshortens: the eye region turning away shrinks
    const eyes = (yaw: number): Float32Array => auRegionMask({ identity: id, pose: { yaw } }, 'AU5');
    const half = (m: Float32Array, right: boolean): number => {
      let n = 0;
      for (let i = 0; i < m.length; i++) if (m[i] > 0 && i % S >= S / 2 === right) n++;
      return n;
    };
    const turned = eyes(0.5);
    expect(half(turned, false)).toBeLessThan(half(turned, true));
  });

  it('rejects bad sizes, modes, AU intensities, identities and poses, naming the argument', () => {
    expect(() => renderFace({ identity: id }, { size: 8 })).toThrow(/renderFace: 'size'/);
    expect(() => renderFace({ identity: id }, { mode: 'cmyk' as never })).toThrow(/renderFace: 'mode'/);
    expect(() => renderFace({ identity: id, aus: { AU12: 1.5 } })).toThrow(/AU12 must be in \[0, 1\]; got 1.5/);
    expect(() => renderFace({ identity: id, aus: { AU99: 0.5 } as never })).toThrow(/unknown action unit 'AU99'/);
    expect(() => renderFace({ identity: id, aus: [0.1, 0.2] })).toThrow(/'aus' must have 13 intensities/);
    expect(() => renderFace({ identity: { ...id, skinTone: 2 } })).toThrow(/'identity.skinTone' must be a number in \[0, 1\]; got 2/);
    expect(() => renderFace({ identity: { ...id, hairColor: 99 } })).toThrow(/'identity.hairColor'/);
    expect(() => renderFace({ identity: id, pose: { yaw: 3 } })).toThrow(/'pose.yaw'/);
    expect(() => renderFace({ identity: id }, { out: new Float32Array(10) })).toThrow(/'out' needs/);
  });
});

describe('action units and emotions', () => {
  it('labels each FER2013 prototype with its emotion, and the zero vector neutral', () => {
    EMOTIONS.forEach((e, i) => {
      expect(emotionFromAus(emotionPrototype(e).map((v) => v * 0.8))).toBe(i);
    });
    expect(EMOTIONS[emotionFromAus(new Float32Array(AU_NAMES.length))]).toBe('neutral');
    // weak expressions fall back to neutral
    expect(EMOTIONS[emotionFromAus(emotionPrototype('happy').map((v) => v * 0.2))]).toBe('neutral');
  });

  it("maps AU vectors to OpenFace's 17-AU order with zeros for the AUs not drawn", () => {
    const v = Float32Array.from(AU_NAMES, (_, i) => (i + 1) / 20);
    const o = toOpenFaceAus([...v, ...v]);
    expect(o.length).toBe(34);
    AU_NAMES.forEach((n, i) => expect(o[17 + OPENFACE_AU_NAMES.indexOf(n as never)]).toBeCloseTo(v[i], 6));
    for (const n of ['AU10', 'AU14', 'AU17', 'AU45']) expect(o[OPENFACE_AU_NAMES.indexOf(n as never)]).toBe(0);
    expect(() => toOpenFaceAus([1, 2])).toThrow(/toOpenFaceAus: 'aus' length must be a multiple of 13/);
  });

  it('soft scores are a distribution whose argmax is the label', () => {
    for (const s of sampleFaceParams(50, { seed: 4 })) {
      const p = emotionScores(s.aus);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.indexOf(Math.max(...p))).toBe(s.emotion);
    }
  });

  it('the sampler hits its target emotion with the default intensities and noise', () => {
    const samples = sampleFaceParams(500, { seed: 9 });
    for (const s of samples) {
      expect(s.emotion).toBe(s.targetEmotion);
      for (const v of s.aus) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    const seen = new Set(samples.map((s) => s.emotion));
    expect(seen.size).toBe(7);
    const only = sampleFaceParams(40, { seed: 1, emotions: ['happy', 5] });
    expect(new Set(only.map((s) => EMOTIONS[s.emotion]))).toEqual(new Set(['happy', 'surprise']));
  });

  it("activeAuProbability draws each AU on its own: the prototypes' AU coupling disappears", () => {
    const au = (samples: ReturnType<typeof sampleFaceParams>, name: string) => samples.map((s) => s.aus[AU_NAMES.indexOf(name as never)]);
    const byEmotion = sampleFaceParams(2000, { seed: 4 });
    // happy = AU6 + AU12 at one intensity: in emotion mode they move together
    expect(pearson64(au(byEmotion, 'AU6'), au(byEmotion, 'AU12'))).toBeGreaterThan(0.8);
    const independent = sampleFaceParams(2000, { seed: 4, activeAuProbability: 0.25, intensity: [0.3, 1], noise: 0.1 });
    expect(Math.abs(pearson64(au(independent, 'AU6'), au(independent, 'AU12')))).toBeLessThan(0.1);
    const all = independent.flatMap((s) => Array.from(s.aus));
    const active = all.filter((v) => v > 0.1);
    // P(active) = 0.25, and an active AU's U(0.3, 1) intensity never falls under the noise bound
    expect(active.length / all.length).toBeCloseTo(0.25, 1);
    expect(Math.min(...active)).toBeGreaterThanOrEqual(0.3);
    expect(Math.max(...all)).toBeLessThanOrEqual(1);
    for (const s of independent) expect(s.targetEmotion).toBe(s.emotion);
    expect(sampleFaceParams(5, { seed: 4, activeAuProbability: 0.25 })).toEqual(sampleFaceParams(5, { seed: 4, activeAuProbability: 0.25 }));
  });

  it('each AU moves its own facial region (brows above the eyes, mouth below the nose)', () => {
    const p: FaceParams = { identity: defaultIdentity() };
    const m = auRegionMasks(p);
    expect(m.length).toBe(AU_NAMES.length);
    const c = Object.fromEntries(AU_NAMES.map((n, k) => [n, centroid(m[k])]));
    for (const n of AU_NAMES) expect(c[n].n, n).toBeGreaterThan(3);
    for (const brow of ['AU1', 'AU2', 'AU4']) expect(c[brow].y).toBeLessThan(c.AU5.y);
    for (const mouth of ['AU12', 'AU15', 'AU20', 'AU23', 'AU25', 'AU26']) expect(c[mouth].y, mouth).toBeGreaterThan(c.AU9.y);
    expect(c.AU6.y).toBeGreaterThan(c.AU5.y);
    // AU1 raises the inner brow ends, AU2 the outer ones
    const spread = (k: number): number => {
      let s = 0,
        n = 0;
      for (let i = 0; i < m[k].length; i++)
        if (m[k][i] > 0) {
          s += Math.abs((i % S) + 0.5 - S / 2);
          n++;
        }
      return s / n;
    };
    expect(spread(AU_NAMES.indexOf('AU1'))).toBeLessThan(spread(AU_NAMES.indexOf('AU2')));
    // brow and mouth regions do not overlap
    const au1 = m[AU_NAMES.indexOf('AU1')],
      au12 = m[AU_NAMES.indexOf('AU12')];
    for (let i = 0; i < au1.length; i++) expect(au1[i] * au12[i]).toBe(0);
  });

  it('a stronger AU changes the face more (jaw drop, smile, brow raise)', () => {
    const id = defaultIdentity();
    for (const au of ['AU26', 'AU12', 'AU1']) {
      const neutral = renderFace({ identity: id }, { mode: 'gray' });
      const change = (v: number): number => {
        const img = renderFace({ identity: id, aus: { [au]: v } }, { mode: 'gray' });
        let s = 0;
        for (let i = 0; i < img.length; i++) s += Math.abs(img[i] - neutral[i]);
        return s;
      };
      const d = [0.25, 0.5, 0.75, 1].map(change);
      for (let i = 1; i < d.length; i++) expect(d[i], au).toBeGreaterThan(d[i - 1]);
    }
  });
});

describe('synthFaceDataset', () => {
  it('returns images with identity, AU, emotion and pose ground truth, reproducible by seed', () => {
    const a = synthFaceDataset({ n: 6, size: 32, seed: 5 });
    const b = synthFaceDataset({ n: 6, size: 32, seed: 5 });
    const c = synthFaceDataset({ n: 6, size: 32, seed: 6 });
    expect(a.images.shape).toEqual([6, 32, 32, 3]);
    expect(a.aus.length).toBe(6 * AU_NAMES.length);
    expect(a.poses.length).toBe(18);
    expect(Array.from(a.images.dataSync())).toEqual(Array.from(b.images.dataSync()));
    expect(Array.from(a.images.dataSync())).not.toEqual(Array.from(c.images.dataSync()));
    for (let i = 0; i < 6; i++) {
      expect(a.emotions[i]).toBe(emotionFromAus(a.aus.subarray(i * AU_NAMES.length, (i + 1) * AU_NAMES.length)));
      // the tensor row is exactly the render of the sample's parameters
      const row = a.images.dataSync().subarray(i * 32 * 32 * 3, (i + 1) * 32 * 32 * 3);
      expect(Array.from(row)).toEqual(Array.from(renderFace(a.samples[i], { size: 32 })));
    }
    for (const d of [a, b, c]) d.images.dispose();
  });

  it('single-identity mode keeps one person; a pool of k people uses at most k', () => {
    const one = synthFaceDataset({ n: 8, size: 32, seed: 1, identities: 1 });
    expect(new Set(one.identityIds)).toEqual(new Set([0]));
    expect(new Set(one.samples.map((s) => JSON.stringify(s.identity))).size).toBe(1);
    const pool = synthFaceDataset({ n: 30, size: 32, seed: 1, identities: 4 });
    const ids = new Set(pool.identityIds);
    expect(ids.size).toBeGreaterThan(1);
    for (const i of ids) expect(i).toBeLessThan(4);
    const fresh = synthFaceDataset({ n: 5, size: 32, seed: 1 });
    expect(Array.from(fresh.identityIds)).toEqual([0, 1, 2, 3, 4]);
    for (const d of [one, pool, fresh]) d.images.dispose();
  });

  it('identity vectors are equal within a person and differ across people', () => {
    const d = sampleFaceParams(20, { seed: 3, identities: 3 });
    for (const a of d) {
      for (const b of d) {
        const va = identityVector(a.identity),
          vb = identityVector(b.identity);
        expect(va.length).toBe(IDENTITY_FEATURES.length);
        const dist = Math.hypot(...va.map((x, i) => x - vb[i]));
        if (a.identityId === b.identityId) expect(dist).toBe(0);
        else expect(dist).toBeGreaterThan(0.1);
      }
    }
  });

  it('derives CelebA-style attributes from the ground truth, and glasses show around the eyes', () => {
    const attr = (p: FaceParams): Record<string, number> => Object.fromEntries(FACE_ATTRIBUTE_NAMES.map((n, i) => [n, faceAttributes(p)[i]]));
    const plain = defaultIdentity();
    expect(attr({ identity: plain })).toMatchObject({ Smiling: -1, Eyeglasses: -1, Bald: -1, Brown_Hair: 1, Mouth_Slightly_Open: -1 });
    expect(attr({ identity: plain, aus: { AU12: 0.8, AU26: 0.5 } })).toMatchObject({ Smiling: 1, Mouth_Slightly_Open: 1 });
    expect(attr({ identity: { ...plain, hairStyle: 'bald', glasses: true } })).toMatchObject({ Bald: 1, Brown_Hair: -1, Eyeglasses: 1 });
    expect(attr({ identity: plain, aus: { AU7: 1, AU6: 0.5 } }).Narrow_Eyes).toBe(1);
    const a = renderFace({ identity: plain }),
      b = renderFace({ identity: { ...plain, glasses: true } });
    const eyes = auRegionMask({ identity: plain }, 'AU5');
    let nearEyes = 0,
      elsewhere = 0;
    for (let p = 0; p < S * S; p++) {
      const d = Math.abs(a[3 * p] - b[3 * p]) + Math.abs(a[3 * p + 1] - b[3 * p + 1]);
      if (d < 0.05) continue;
      const y = Math.floor(p / S),
        eyeRow = centroid(eyes).y;
      if (Math.abs(y + 0.5 - eyeRow) < 6) nearEyes++;
      else elsewhere++;
    }
    expect(nearEyes).toBeGreaterThan(30);
    expect(elsewhere).toBeLessThan(nearEyes / 4);
    const d = synthFaceDataset({ n: 12, size: 32, seed: 8 });
    expect(d.attributes.length).toBe(12 * FACE_ATTRIBUTE_NAMES.length);
    for (let i = 0; i < 12; i++) expect(Array.from(d.attributes.subarray(i * 11, (i + 1) * 11))).toEqual(Array.from(faceAttributes(d.samples[i])));
    d.images.dispose();
  });

  it('FER mode gives 48×48 grayscale and pose ranges are respected', () => {
    const d = synthFaceDataset({ n: 5, mode: 'fer', seed: 2, poseRanges: { yaw: [0.1, 0.2], pitch: [0, 0], roll: [-0.05, 0.05] } });
    expect(d.images.shape).toEqual([5, 48, 48, 1]);
    for (let i = 0; i < 5; i++) {
      expect(d.poses[3 * i]).toBeGreaterThanOrEqual(0.1);
      expect(d.poses[3 * i]).toBeLessThanOrEqual(0.2);
      expect(d.poses[3 * i + 1]).toBe(0);
    }
    d.images.dispose();
  });

  it('rejects bad counts, emotions and ranges', () => {
    expect(() => synthFaceDataset({ n: 0 })).toThrow(/synthFaceDataset: 'n'/);
    expect(() => sampleFaceParams(3, { emotions: ['joy' as never] })).toThrow(/unknown emotion "joy"/);
    expect(() => sampleFaceParams(3, { poseRanges: { yaw: [1, 0] } })).toThrow(/'poseRanges.yaw'/);
    expect(() => sampleFaceParams(3, { identities: 0 })).toThrow(/'identities'/);
    expect(() => sampleFaceParams(3, { activeAuProbability: 1.5 })).toThrow(/'activeAuProbability' must be in \[0, 1\]; got 1.5/);
    expect(() => sampleFaceParams(3, { activeAuProbability: 0.2, emotions: ['happy'] })).toThrow(/'emotions' and 'activeAuProbability' exclude each other/);
  });

  it('leaks no tensors beyond the images it hands over', async () => {
    await expectNoLeak(() => synthFaceDataset({ n: 2, size: 32 }).images.dispose());
  });
});
