/**
 * IDX files (the MNIST/Fashion-MNIST container; LeCun et al., yann.lecun.com/exdb/mnist): a 4-byte
 * magic `0 0 type ndim`, `ndim` big-endian uint32 dimensions, then the row-major data big-endian.
 * Types: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  shape: number[];
  dtype: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
  data: IdxData;
}

const TYPES: Record<number, { dtype: IdxArray['dtype']; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** Parse IDX bytes. `file` names the source in errors. uint8 data is a view on the input (no copy). */
export function parseIdx(bytes: Uint8Array, file = '<input>'): IdxArray {
  const where = `parseIdx: ${file}`;
  if (!(bytes instanceof Uint8Array)) throw new Error(`parseIdx: 'bytes' must be a Uint8Array; got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 4) throw new Error(`${where}: too short for an IDX header (${bytes.length} bytes)`);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new Error(`${where}: gzip-compressed; decompress it first (the Node loaders do)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new Error(`${where}: bad magic number: first two bytes must be 0, got ${bytes[0]}, ${bytes[1]}`);
  const type = TYPES[bytes[2]];
  if (!type) throw new Error(`${where}: unknown data type 0x${bytes[2].toString(16)}; expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E`);
  const ndim = bytes[3];
  if (ndim === 0) throw new Error(`${where}: zero dimensions`);
  const headerLen = 4 + 4 * ndim;
  if (bytes.length < headerLen) throw new Error(`${where}: header needs ${headerLen} bytes for ${ndim} dimensions; got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    shape.push(n);
    count *= n;
  }
  const expected = headerLen + count * type.bytes;
  if (bytes.length !== expected) {
    throw new Error(`${where}: shape [${shape.join(', ')}] of ${type.dtype} needs ${expected} bytes; got ${bytes.length}${bytes.length < expected ? ' (truncated)' : ' (trailing bytes)'}`);
  }
  let data: IdxData;
  switch (type.dtype) {
    case 'uint8':
      data = bytes.subarray(headerLen);
      break;
    case 'int8':
      data = new Int8Array(bytes.buffer, bytes.byteOffset + headerLen, count);
      break;
    case 'int16':
      data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(headerLen + 2 * i, false);
      break;
    case 'int32':
      data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(headerLen + 4 * i, false);
      break;
    case 'float32':
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(headerLen + 4 * i, false);
      break;
    default:
      data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(headerLen + 8 * i, false);
  }
  return { shape, dtype: type.dtype, data };
}

/** Encode an array as IDX bytes (the inverse of {@link parseIdx}; used to write test files). */
export function encodeIdx(array: IdxArray): Uint8Array {
  const code = Number(Object.keys(TYPES).find((k) => TYPES[Number(k)].dtype === array.dtype));
  if (!code) throw new Error(`encodeIdx: unknown dtype '${array.dtype}'`);
  const { bytes } = TYPES[code];
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) throw new Error(`encodeIdx: shape [${array.shape.join(', ')}] needs ${count} values; got ${array.data.length}`);
  const headerLen = 4 + 4 * array.shape.length;
  const out = new Uint8Array(headerLen + count * bytes);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = array.shape.length;
  array.shape.forEach((n, d) => view.setUint32(4 + 4 * d, n, false));
  for (let i = 0; i < count; i++) {
    const o = headerLen + i * bytes,
      v = array.data[i];
    switch (array.dtype) {
      case 'uint8':
        view.setUint8(o, v);
        break;
      case 'int8':
        view.setInt8(o, v);
        break;
      case 'int16':
        view.setInt16(o, v, false);
        break;
      case 'int32':
        view.setInt32(o, v, false);
        break;
      case 'float32':
        view.setFloat32(o, v, false);
        break;
      default:
        view.setFloat64(o, v, false);
    }
  }
  return out;
}
