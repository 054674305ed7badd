/**
 * Weights in the TensorFlow.js format: a manifest of `{name, shape, dtype}` specs and one buffer holding every
 * weight's values, concatenated in spec order as little-endian float32 or int32 (row-major, as tensors store them).
 * On disk the buffer is split over the files of each manifest group's `paths`.
 *
 * Model weights are float32 (tfjs's layer variables are, and tfjs refuses to assign another dtype to them). int32 is
 * accepted in the 'optimizer' group only, where tfjs writes the optimizer's step count `iter`; it is read into
 * float32 and refused beyond ±2^24, where float32 would round it. We write float32 only.
 *
 * Everything read here is untrusted: specs are checked before any buffer is allocated.
 */
import { FormatError, quote } from '../errors.js';
import { describe, expectArray, expectObject, expectString, fieldPath } from './json.js';

/** The dtypes a weight file may hold (see the file comment for where int32 is legal). */
export type WeightDtype = 'float32' | 'int32';

/** One weight as the manifest lists it. `group: 'optimizer'` marks optimizer state, which models ignore. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: WeightDtype;
  readonly group?: string;
}

/** One entry of model.json's `weightsManifest`: files whose concatenation holds these weights in order. */
export interface WeightsGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

/** The most values one weight may hold (1 GiB of float32); larger shapes are refused before allocating. */
export const MAX_WEIGHT_VALUES = 2 ** 28;

/** Bytes per value of each dtype. */
const DTYPE_BYTES: Readonly<Record<WeightDtype, number>> = { float32: 4, int32: 4 };

/** The largest integer magnitude float32 holds exactly (int32 values beyond it would be rounded). */
const FLOAT32_EXACT_INT = 2 ** 24;

/** The manifest group of optimizer weights (tfjs's name). */
export const OPTIMIZER_GROUP = 'optimizer';

/** Values in a shape; throws (without overflowing) when the product exceeds MAX_WEIGHT_VALUES. */
export function shapeSize(shape: readonly number[], where: string): number {
  let size = 1;
  for (const dim of shape) {
    size *= dim;
    if (size > MAX_WEIGHT_VALUES) {
      throw new FormatError(
        where,
        `shape [${shape.join(', ')}] holds more than ${MAX_WEIGHT_VALUES} values (2^28), refused`,
      );
    }
  }
  return size;
}

/** Bytes one weight takes in the weight data. */
export function specBytes(spec: WeightSpec): number {
  return shapeSize(spec.shape, spec.name) * DTYPE_BYTES[spec.dtype];
}

/**
 * Validates one manifest entry: name, shape of non-negative integers within the size limit, no quantization,
 * float32 (or int32 in the 'optimizer' group).
 */
function readSpec(value: unknown, where: string, field: string): WeightSpec {
  const entry = expectObject(value, where, field);
  const name = expectString(entry.name, where, fieldPath(field, 'name'));
  if (name === '') throw new FormatError(where, `\`${fieldPath(field, 'name')}\` must not be empty`);
  const shapeField = fieldPath(field, 'shape');
  const shape = expectArray(entry.shape, where, shapeField).map((dim, i) => {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw new FormatError(
        where,
        `\`${fieldPath(shapeField, i)}\` of weight ${quote(name)} must be a non-negative integer, received ${describe(dim)}`,
      );
    }
    return dim;
  });
  shapeSize(shape, `${where}: weight ${quote(name)}`);
  if (entry.quantization !== undefined && entry.quantization !== null) {
    throw new FormatError(
      where,
      `weight ${quote(name)} is quantized (\`${fieldPath(field, 'quantization')}\`); only float32 weights are supported`,
    );
  }
  const group = entry.group;
  if (group !== undefined && group !== null && typeof group !== 'string') {
    throw new FormatError(
      where,
      `\`${fieldPath(field, 'group')}\` of weight ${quote(name)} must be a string, received ${describe(group)}`,
    );
  }
  const dtype = entry.dtype ?? 'float32';
  if (dtype !== 'float32' && !(dtype === 'int32' && group === OPTIMIZER_GROUP)) {
    const int32 =
      dtype === 'int32'
        ? ` (int32 is accepted only in the '${OPTIMIZER_GROUP}' group, where tfjs writes the optimizer's \`iter\`)`
        : '';
    throw new FormatError(
      where,
      `\`${fieldPath(field, 'dtype')}\` of weight ${quote(name)} must be 'float32', received ${describe(dtype)}${int32}`,
    );
  }
  return typeof group === 'string' ? { name, shape, dtype, group } : { name, shape, dtype };
}

/** Validates a list of weight specs (tfjs `weightSpecs`); names must be unique. */
export function readWeightSpecs(value: unknown, where: string, field = 'weightSpecs'): WeightSpec[] {
  const specs = expectArray(value, where, field).map((item, i) => readSpec(item, where, fieldPath(field, i)));
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new FormatError(where, `weight ${quote(spec.name)} is listed twice in \`${field}\``);
    seen.add(spec.name);
  }
  return specs;
}

/**
 * Throws unless `path` is a plain relative path inside the model's folder: not empty, not absolute, no drive
 * letter or URL scheme, no `..` segment, no NUL. (The Node loader also checks where the path resolves to.)
 */
export function checkWeightPath(path: string, where: string, field: string): string {
  const bad = (why: string): never => {
    throw new FormatError(
      where,
      `\`${field}\` must be a relative path inside the model's folder; ${quote(path)} ${why}`,
    );
  };
  if (path === '') bad('is empty');
  if (path.includes('\0')) bad('contains a NUL character');
  if (/^[\\/]/.test(path) || /^[a-zA-Z]:/.test(path)) bad('is absolute');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) bad('has a URL scheme');
  if (path.split(/[\\/]/).includes('..')) bad("contains a '..' segment");
  return path;
}

/**
 * Validates model.json's `weightsManifest`: groups of safe relative paths and weight specs, names unique overall,
 * each path listed once (a file listed 8,000 times would make its bytes count 8,000 times against the specs).
 */
export function readWeightsManifest(value: unknown, where: string): WeightsGroup[] {
  const firstField = new Map<string, string>();
  const groups = expectArray(value, where, 'weightsManifest').map((item, g) => {
    const field = fieldPath('weightsManifest', g);
    const group = expectObject(item, where, field);
    const paths = expectArray(group.paths, where, fieldPath(field, 'paths')).map((p, i) =>
      checkWeightPath(
        expectString(p, where, fieldPath(fieldPath(field, 'paths'), i)),
        where,
        fieldPath(fieldPath(field, 'paths'), i),
      ),
    );
    paths.forEach((path, i) => {
      const pathField = fieldPath(fieldPath(field, 'paths'), i);
      const earlier = firstField.get(path);
      if (earlier !== undefined)
        throw new FormatError(
          where,
          `\`${pathField}\` ${quote(path)} is listed already as \`${earlier}\`; each weight file may be listed once`,
        );
      firstField.set(path, pathField);
    });
    const weights = readWeightSpecs(group.weights, where, fieldPath(field, 'weights'));
    if (paths.length === 0 && weights.some((w) => specBytes(w) > 0)) {
      throw new FormatError(where, `\`${fieldPath(field, 'paths')}\` is empty but the group lists weights`);
    }
    return { paths, weights };
  });
  readWeightSpecs(
    groups.flatMap((g) => g.weights),
    where,
    'weightsManifest[*].weights',
  );
  return groups;
}

/** Total bytes that specs describe. */
export function totalBytes(specs: readonly WeightSpec[]): number {
  return specs.reduce((n, spec) => n + specBytes(spec), 0);
}

/** A named weight's values, in the order the manifest lists them. */
export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * Specs plus one little-endian float32 buffer holding every weight in order. Non-finite values are refused
 * (loading refuses them too): a diverged model must not overwrite a good saved one.
 */
export function encodeWeights(
  weights: readonly NamedWeight[],
  where: string,
): { specs: WeightSpec[]; data: ArrayBuffer } {
  const specs = weights.map((w): WeightSpec => ({ name: w.name, shape: [...w.shape], dtype: 'float32' }));
  const data = new ArrayBuffer(totalBytes(specs));
  const view = new DataView(data);
  let offset = 0;
  for (const w of weights) {
    w.values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        throw new FormatError(
          where,
          `weight ${quote(w.name)} holds a non-finite value (${v}) at flat index ${i}; a model with NaN or infinite weights is not saved`,
        );
      }
      view.setFloat32(offset, v, true);
      offset += DTYPE_BYTES.float32;
    });
  }
  return { specs, data };
}

/** The byte offset of each spec's values in the concatenated buffer. */
export function specOffsets(specs: readonly WeightSpec[]): number[] {
  let offset = 0;
  return specs.map((spec) => {
    const start = offset;
    offset += specBytes(spec);
    return start;
  });
}

/**
 * Throws unless the weight data holds exactly the bytes the specs describe (truncated or oversized), naming the
 * data (`weightData`, or the weight files) and giving both sizes.
 */
export function checkDataSize(
  specs: readonly WeightSpec[],
  byteLength: number,
  where: string,
  data = '`weightData`',
): void {
  const expected = totalBytes(specs);
  if (byteLength !== expected) {
    const kind = byteLength < expected ? 'truncated' : 'oversized';
    throw new FormatError(
      where,
      `${data} is ${kind}: expected ${expected} bytes (the manifest's weights), received ${byteLength}`,
    );
  }
}

/**
 * Reads one weight's values from the buffer at `offset` (float32, or int32 converted exactly); throws on a
 * non-finite value or an int32 float32 cannot hold, naming the weight.
 */
export function decodeWeight(spec: WeightSpec, data: ArrayBuffer, offset: number, where: string): Float32Array {
  const size = shapeSize(spec.shape, spec.name);
  const bytes = DTYPE_BYTES[spec.dtype];
  if (offset < 0 || offset + size * bytes > data.byteLength) {
    throw new FormatError(
      where,
      `weight ${quote(spec.name)} (bytes ${offset} to ${offset + size * bytes}) runs past the end of the weight data (${data.byteLength} bytes)`,
    );
  }
  const view = new DataView(data, offset, size * bytes);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    if (spec.dtype === 'int32') {
      const v = view.getInt32(i * bytes, true);
      if (Math.abs(v) > FLOAT32_EXACT_INT) {
        throw new FormatError(
          where,
          `int32 weight ${quote(spec.name)} holds ${v} at flat index ${i}, beyond ±2^24 where float32 (which cnnlab computes in) would round it`,
        );
      }
      values[i] = v;
    } else {
      const v = view.getFloat32(i * bytes, true);
      if (!Number.isFinite(v))
        throw new FormatError(where, `weight ${quote(spec.name)} holds a non-finite value (${v}) at flat index ${i}`);
      values[i] = v;
    }
  }
  return values;
}

/** The buffers of tfjs's `weightData`: one buffer, or a list of them (tfjs ≥ 4.10); absent means none. */
function weightDataParts(value: unknown, where: string): ArrayBuffer[] {
  if (value === undefined || value === null) return [];
  if (value instanceof ArrayBuffer) return [value];
  if (!Array.isArray(value))
    throw new FormatError(
      where,
      `\`weightData\` must be an ArrayBuffer or a list of them, received ${describe(value)}`,
    );
  const parts: readonly unknown[] = value;
  return parts.map((part, i) => {
    if (!(part instanceof ArrayBuffer))
      throw new FormatError(where, `\`weightData[${i}]\` must be an ArrayBuffer, received ${describe(part)}`);
    return part;
  });
}

/** The buffers concatenated in order (a single buffer is returned as it is, not copied). */
function join(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const [only, ...rest] = buffers;
  if (only !== undefined && rest.length === 0) return only;
  const joined = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    joined.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return joined.buffer;
}

/** One buffer from tfjs's `weightData`, which may be a list of buffers (tfjs ≥ 4.10) or one buffer. */
export function joinWeightData(value: unknown, where: string): ArrayBuffer {
  return join(weightDataParts(value, where));
}

/**
 * tfjs's `weightData` as one buffer, once checked to hold exactly the bytes `specs` describe: the sizes are
 * compared before anything is joined or allocated.
 */
export function readWeightData(value: unknown, specs: readonly WeightSpec[], where: string): ArrayBuffer {
  const parts = weightDataParts(value, where);
  checkDataSize(
    specs,
    parts.reduce((n, b) => n + b.byteLength, 0),
    where,
  );
  return join(parts);
}
