import { describe, expect, it } from 'vitest';
import { encodeIdx, parseAuCsv, parseCelebaAttributes, parseCelebaPartition, parseFashionMnistJson, parseFer2013Csv, parseIdx, splitCsvLine } from '../../src/data/parsers/index.js';
import { Random } from '../helpers/index.js';

const CELEBA_NAMES =
  '5_o_Clock_Shadow Arched_Eyebrows Attractive Bags_Under_Eyes Bald Bangs Big_Lips Big_Nose Black_Hair Blond_Hair Blurry Brown_Hair Bushy_Eyebrows Chubby Double_Chin Eyeglasses Goatee Gray_Hair Heavy_Makeup High_Cheekbones Male Mouth_Slightly_Open Mustache Narrow_Eyes No_Beard Oval_Face Pale_Skin Pointy_Nose Receding_Hairline Rosy_Cheeks Sideburns Smiling Straight_Hair Wavy_Hair Wearing_Earrings Wearing_Hat Wearing_Lipstick Wearing_Necklace Wearing_Necktie Young';

/** A CelebA attribute file in the real layout (count, header with trailing space, values padded to width 2). */
function celebaText(rows: number[][]): string {
  const body = rows.map((r, i) => `${String(i + 1).padStart(6, '0')}.jpg ${r.map((v) => String(v).padStart(2, ' ')).join(' ')}`);
  return `${rows.length}\n${CELEBA_NAMES} \n${body.join('\n')}\n`;
}

function ferText(rows: { e: number; px: number[]; u: string }[]): string {
  return ['emotion,pixels,Usage', ...rows.map((r) => `${r.e},${r.px.join(' ')},${r.u}`)].join('\n') + '\n';
}

const ramp = (k: number): number[] => Array.from({ length: 2304 }, (_, j) => (j * 7 + k) % 256);

/** Every call either returns or throws an Error whose message starts with the parser's name. */
function fuzz(name: string, parse: (input: string | Uint8Array, skip: boolean) => unknown, valid: string, seed: number, trials = 150): void {
  const rng = new Random(seed);
  const alphabet = ['', ',', '"', ' ', '\n', '\r\n', '-1', '1', '0', '255', '256', '999', 'x', 'AU01_r', 'NaN', '\t', '3.5', 'é', '\u0000'];
  for (let t = 0; t < trials; t++) {
    let input: string | Uint8Array;
    const kind = rng.int(0, 3);
    if (kind === 0) {
      input = Uint8Array.from({ length: rng.int(0, 300) }, () => rng.int(0, 256));
    } else {
      const chars = valid.split('');
      const edits = rng.int(1, 12);
      for (let e = 0; e < edits; e++) {
        const pos = rng.int(0, chars.length + 1);
        const op = rng.int(0, 3);
        if (op === 0) chars.splice(pos, rng.int(1, 20));
        else if (op === 1) chars.splice(pos, 0, alphabet[rng.int(0, alphabet.length)]);
        else chars[pos] = alphabet[rng.int(0, alphabet.length)];
      }
      input = chars.join('');
      if (kind === 2) {
        const lines = (input as string).split('\n');
        lines.splice(rng.int(0, lines.length), 1);
        input = lines.join('\n');
      }
    }
    for (const skip of [false, true]) {
      try {
        parse(input, skip);
      } catch (e) {
        expect(e, `trial ${t}`).toBeInstanceOf(Error);
        expect((e as Error).message.startsWith(name), (e as Error).message).toBe(true);
      }
    }
  }
}

describe('parseIdx', () => {
  it('reads the MNIST layout: magic 0x00000803, big-endian dims, uint8 data', () => {
    const bytes = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40]);
    const a = parseIdx(bytes);
    expect(a.dtype).toBe('uint8');
    expect(a.shape).toEqual([2, 1, 2]);
    expect(Array.from(a.data)).toEqual([10, 20, 30, 40]);
  });

  it('round-trips every IDX type through encodeIdx', () => {
    const cases = [
      { dtype: 'uint8', data: Uint8Array.from([0, 7, 255]) },
      { dtype: 'int8', data: Int8Array.from([-128, 0, 127]) },
      { dtype: 'int16', data: Int16Array.from([-300, 2, 30000]) },
      { dtype: 'int32', data: Int32Array.from([-70000, 0, 1 << 30]) },
      { dtype: 'float32', data: Float32Array.from([-1.5, 0.25, 3e8]) },
      { dtype: 'float64', data: Float64Array.from([Math.PI, -1e-300, 2]) },
    ] as const;
    for (const c of cases) {
      const back = parseIdx(encodeIdx({ shape: [3], dtype: c.dtype, data: c.data }));
      expect(back.dtype).toBe(c.dtype);
      expect(Array.from(back.data)).toEqual(Array.from(c.data));
    }
  });

  it('names the file and the problem for truncated, padded, gzip and foreign bytes', () => {
    const good = encodeIdx({ shape: [2, 2], dtype: 'uint8', data: Uint8Array.from([1, 2, 3, 4]) });
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'x.idx')).toThrow(/parseIdx: x.idx: shape \[2, 2\] of uint8 needs 16 bytes; got 15 \(truncated\)/);
    expect(() => parseIdx(Uint8Array.from([...good, 0]), 'x.idx')).toThrow(/trailing bytes/);
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]), 'x.gz')).toThrow(/gzip/);
    expect(() => parseIdx(Uint8Array.from([1, 2, 3, 4]))).toThrow(/bad magic/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 0]))).toThrow(/unknown data type 0x42/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8]))).toThrow(/too short/);
  });

  it('survives fuzzing', () => {
    const valid = encodeIdx({ shape: [3, 4], dtype: 'int16', data: Int16Array.from({ length: 12 }, (_, i) => i * 100 - 500) });
    const rng = new Random(11);
    for (let t = 0; t < 500; t++) {
      const b = Uint8Array.from(valid);
      for (let e = rng.int(0, 4); e >= 0; e--) b[rng.int(0, b.length)] = rng.int(0, 256);
      const input = rng.next() < 0.3 ? b.subarray(0, rng.int(0, b.length)) : b;
      try {
        parseIdx(input);
      } catch (err) {
        expect((err as Error).message.startsWith('parseIdx')).toBe(true);
      }
    }
  });
});

describe('parseCelebaAttributes', () => {
  const rows = [Array.from({ length: 40 }, (_, j) => (j % 3 === 0 ? 1 : -1)), Array.from({ length: 40 }, (_, j) => (j === 31 ? 1 : -1))];

  it('reads the count, the 40 names and ±1 rows separated by runs of spaces', () => {
    const a = parseCelebaAttributes(celebaText(rows));
    expect(a.names.length).toBe(40);
    expect(a.names[31]).toBe('Smiling');
    expect(a.files).toEqual(['000001.jpg', '000002.jpg']);
    expect(Array.from(a.values.subarray(0, 40))).toEqual(rows[0]);
    expect(a.values[40 + 31]).toBe(1);
  });

  it('a malformed line throws naming file and line, or is skipped and counted when asked', () => {
    const text = celebaText(rows).replace('000002.jpg -1', '000002.jpg  0');
    expect(() => parseCelebaAttributes(text)).toThrow(/parseCelebaAttributes: list_attr_celeba.txt line 4: value 1 \('5_o_Clock_Shadow'\) must be 1 or -1; got '0'/);
    const s = parseCelebaAttributes(text, { skipMalformed: true, file: 'attrs.txt' });
    expect(s.files).toEqual(['000001.jpg']);
    expect(s.skipped).toEqual([{ line: 4, reason: expect.stringContaining('must be 1 or -1') }]);
    const short = celebaText(rows)
      .replace(/ 1\n$/, '\n')
      .replace(/ -1\n$/, '\n');
    expect(() => parseCelebaAttributes(short, { file: 'a.txt' })).toThrow(/a.txt line 4: expected a file name and 40 values; got 40 fields/);
  });

  it('checks the announced count', () => {
    expect(() => parseCelebaAttributes(celebaText(rows).replace(/^2/, '3'))).toThrow(/line 1 announces 3 images but 2 records follow/);
    expect(() => parseCelebaAttributes('abc\nx\n')).toThrow(/line 1 must be the image count/);
  });

  it('reads the evaluation partition', () => {
    const p = parseCelebaPartition('000001.jpg 0\n000002.jpg 2\n\n');
    expect(p.files).toEqual(['000001.jpg', '000002.jpg']);
    expect(Array.from(p.partition)).toEqual([0, 2]);
    expect(() => parseCelebaPartition('000001.jpg 5\n', { file: 'p.txt' })).toThrow(/p.txt line 1/);
  });

  it('survives fuzzing', () => {
    fuzz('parseCelebaAttributes', (t, skip) => parseCelebaAttributes(t, { skipMalformed: skip }), celebaText(rows), 1);
    fuzz('parseCelebaPartition', (t, skip) => parseCelebaPartition(t, { skipMalformed: skip }), '000001.jpg 0\n000002.jpg 1\n', 2);
  });
});

describe('parseFer2013Csv', () => {
  const rows = [
    { e: 3, px: ramp(0), u: 'Training' },
    { e: 0, px: ramp(5), u: 'PublicTest' },
    { e: 6, px: ramp(9), u: 'Training' },
  ];

  it('reads emotion, 48×48 pixels and Usage', () => {
    const d = parseFer2013Csv(ferText(rows));
    expect(d.n).toBe(3);
    expect(Array.from(d.emotions)).toEqual([3, 0, 6]);
    expect(d.usage).toEqual(['Training', 'PublicTest', 'Training']);
    expect(Array.from(d.pixels.subarray(2304, 2304 + 5))).toEqual(ramp(5).slice(0, 5));
    const train = parseFer2013Csv(ferText(rows), { usage: 'Training' });
    expect(Array.from(train.emotions)).toEqual([3, 6]);
    expect(Array.from(train.pixels.subarray(2304, 2310))).toEqual(ramp(9).slice(0, 6));
  });

  it('finds columns by name, accepts quoted pixels and a file without emotions', () => {
    const text = `pixels,Usage\n"${ramp(1).join(' ')}",PrivateTest\n`;
    const d = parseFer2013Csv(text);
    expect(Array.from(d.emotions)).toEqual([-1]);
    expect(d.pixels[0]).toBe(1);
  });

  it('wrong pixel counts and labels throw naming file and line; skip mode counts them', () => {
    const bad = ferText([rows[0], { e: 2, px: ramp(1).slice(0, 2303), u: 'Training' }, { e: 9, px: ramp(2), u: 'Training' }]);
    expect(() => parseFer2013Csv(bad, { file: 'fer.csv' })).toThrow(/parseFer2013Csv: fer.csv line 3: expected 2304 pixels \(48×48\); got 2303/);
    const s = parseFer2013Csv(bad, { skipMalformed: true });
    expect(s.n).toBe(1);
    expect(s.skipped.map((k) => k.line)).toEqual([3, 4]);
    expect(s.skipped[1].reason).toMatch(/emotion must be an integer 0..6; got '9'/);
    expect(() => parseFer2013Csv(ferText([{ e: 1, px: [...ramp(0).slice(0, 2303), 300], u: 'x' }]))).toThrow(/pixel 2303 must be an integer 0..255; got '300'/);
    expect(() => parseFer2013Csv('emotion,Usage\n1,Training\n')).toThrow(/header must name a 'pixels' column/);
  });

  it('survives fuzzing', () => {
    const small = ferText([{ e: 1, px: ramp(3), u: 'Training' }]);
    fuzz('parseFer2013Csv', (t, skip) => parseFer2013Csv(t, { skipMalformed: skip }), small, 3, 80);
  });
});

describe('parseAuCsv', () => {
  const openface = [
    'frame, face_id, timestamp, confidence, success, AU01_r, AU02_r, AU04_r, AU12_r, AU45_r, AU01_c, AU12_c',
    '1, 0, 0.000, 0.98, 1, 0.00, 1.25, 5.00, 2.50, 0.10, 0, 1',
    '2, 0, 0.033, 0.97, 1, 0.50, 0.00, 0.00, 4.00, 0.00, 1, 1',
  ].join('\n');

  it('reads OpenFace _r intensities scaled by 1/5, ignoring the _c presence columns', () => {
    const t = parseAuCsv(openface);
    expect(t.auNames).toEqual(['AU1', 'AU2', 'AU4', 'AU12', 'AU45']);
    expect(t.keys).toEqual(['1', '2']);
    expect(Array.from(t.values)).toEqual([0, 0.25, 1, 0.5, 0.02, 0.1, 0, 0, 0.8, 0].map(Math.fround));
  });

  it('reads EmotioNet-style tables keyed by file name with a missing-value code', () => {
    const t = parseAuCsv('image,AU1,AU2,AU4\nimg_001.jpg,0,3,999\n"img 002.jpg",5,0,1\n', { missingValue: 999 });
    expect(t.keys).toEqual(['img_001.jpg', 'img 002.jpg']);
    expect(Number.isNaN(t.values[2])).toBe(true);
    expect(t.values[1]).toBeCloseTo(0.6, 6);
    expect(t.values[3]).toBe(1);
  });

  it('out-of-range values throw naming file, line and column; skip mode counts them', () => {
    const text = 'file,AU1,AU2\na.jpg,1,2\nb.jpg,6,1\nc.jpg,1\n';
    expect(() => parseAuCsv(text, { file: 'aus.csv' })).toThrow(/parseAuCsv: aus.csv line 3: AU1 must be a number in \[0, 5\]; got '6'/);
    const s = parseAuCsv(text, { skipMalformed: true });
    expect(s.keys).toEqual(['a.jpg']);
    expect(s.skipped.map((k) => k.line)).toEqual([3, 4]);
    expect(() => parseAuCsv('file,smile\na,1\n')).toThrow(/no AU columns/);
  });

  it('survives fuzzing', () => {
    fuzz('parseAuCsv', (t, skip) => parseAuCsv(t, { skipMalformed: skip }), openface, 4);
  });
});

describe('parseFashionMnistJson and splitCsvLine', () => {
  it('reads the fashion-mnist package class files', () => {
    const d = parseFashionMnistJson(JSON.stringify({ data: [Array.from({ length: 784 }, (_, i) => i % 256)] }));
    expect(d.n).toBe(1);
    expect(d.pixels[300]).toBe(300 % 256);
    const gap = parseFashionMnistJson(JSON.stringify({ data: [Array(784).fill(1), [], Array(784).fill(2)] }));
    expect(gap.n).toBe(2);
    expect(gap.skipped).toEqual([1]);
    expect(gap.pixels[784]).toBe(2);
    expect(() => parseFashionMnistJson('{"data":[[1,2]]}', '3.json')).toThrow(/parseFashionMnistJson: 3.json: image 0 must be an array of 784 values; got 2/);
    expect(() => parseFashionMnistJson('{', '3.json')).toThrow(/not valid JSON/);
    fuzz('parseFashionMnistJson', (t) => parseFashionMnistJson(t), JSON.stringify({ data: [Array(784).fill(3)] }), 5, 60);
  });

  it('splits RFC 4180 lines', () => {
    expect(splitCsvLine('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitCsvLine('"open')).toBeNull();
  });
});
