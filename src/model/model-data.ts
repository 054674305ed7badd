/**
 * The inputs and targets of fit, evaluate, predict and trainOnBatch, as Keras and tfjs take them: one tensor for a
 * model with one input (output), a list in input (output) order, or an object keyed by input (output) name. They
 * become one `Examples` per input and per output, all with the same number of examples, so that one order of
 * examples (shuffling, validation split) serves every input and output alike.
 */
import { type Dataset, isDataset } from '../data/dataset.js';
import { ConfigError, ShapeError } from '../errors.js';
import { describe } from '../io/json.js';
import { formatSymbolicShape, type SymbolicShape } from '../layers/layer.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkFinite, type ExamplePair, type Examples, fromDataset, fromTensor } from './batch.js';

/** One tensor, a list in input (output) order, or `{ name: tensor }`. */
export type ModelData = Tensor | readonly Tensor[] | Readonly<Record<string, Tensor>>;

/** What the data must fit: the model's input and output names, and its input shapes (batch dimension null). */
export interface ModelSignature {
  /** The model as messages name it. */
  readonly where: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputShapes: readonly SymbolicShape[];
}

const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

/** `data` as one tensor per name, in `names` order; `what` ('x' or 'y') and `kind` ('input', 'output') name it. */
export function tensorList(
  where: string,
  what: string,
  kind: string,
  data: unknown,
  names: readonly string[],
): Tensor[] {
  if (data instanceof Tensor) {
    if (names.length !== 1) {
      throw new ConfigError(
        where,
        `\`${what}\` must hold one tensor per ${kind} (${names.length}: ${quoted(names)}), received one tensor`,
      );
    }
    return [data];
  }
  let list: unknown[];
  if (Array.isArray(data)) {
    const items: readonly unknown[] = data;
    list = [...items];
    if (list.length !== names.length) {
      throw new ConfigError(
        where,
        `\`${what}\` must hold one tensor per ${kind} (${names.length}: ${quoted(names)}), received ${list.length}`,
      );
    }
  } else if (typeof data === 'object' && data !== null) {
    const record = new Map<string, unknown>(Object.entries(data));
    const unknown = [...record.keys()].find((k) => !names.includes(k));
    if (unknown !== undefined) {
      throw new ConfigError(
        where,
        `\`${what}\` names ${kind} '${unknown}', which the model lacks; its ${kind}s: ${quoted(names)}`,
      );
    }
    list = names.map((name) => {
      if (!record.has(name)) {
        throw new ConfigError(where, `\`${what}\` has no tensor for ${kind} '${name}'; its ${kind}s: ${quoted(names)}`);
      }
      return record.get(name);
    });
  } else {
    throw new ConfigError(
      where,
      `\`${what}\` must be a Tensor, a list or an object of tensors, received ${describe(data)}`,
    );
  }
  return list.map((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new ConfigError(where, `\`${what}\` for ${kind} '${names[i]}' must be a Tensor, received ${describe(t)}`);
    }
    return t;
  });
}

/** How messages name tensor i of x or y: plain `x` for a model with one input, `x['name']` otherwise. */
const label = (what: string, names: readonly string[], i: number): string =>
  names.length === 1 ? what : `${what}['${names[i]}']`;

/** Throws a ShapeError unless each example shape fits its input's shape (null dimensions take any size). */
export function checkInputShapes(
  signature: ModelSignature,
  where: string,
  shapes: readonly (readonly number[])[],
): void {
  signature.inputShapes.forEach((expected, i) => {
    const shape = shapes[i] ?? [];
    const ok = shape.length === expected.length && expected.every((d, j) => j === 0 || d === null || d === shape[j]);
    if (ok) return;
    const received = formatShape(shape);
    const detail =
      signature.inputNames.length === 1
        ? `expected input of shape ${formatSymbolicShape(expected)}, received ${received}`
        : `${where}: input '${signature.inputNames[i]}' expected shape ${formatSymbolicShape(expected)}, received ${received}`;
    throw new ShapeError(signature.where, detail);
  });
}

/** Every tensor of xs and ys as examples, after checking they share one count of examples and hold finite values. */
export function tensorExamples(
  where: string,
  signature: ModelSignature,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
): ExamplePair {
  const all = [
    ...xs.map((t, i) => ({ t, name: label('x', signature.inputNames, i) })),
    ...ys.map((t, i) => ({ t, name: label('y', signature.outputNames, i) })),
  ];
  const [first] = all;
  for (const { t, name } of all) {
    if (first === undefined || t.rank === 0 || first.t.rank === 0 || t.shape[0] !== first.t.shape[0]) {
      throw new ShapeError(
        where,
        `${first?.name} and ${name} must have the same number of examples (first dimension), received ` +
          `${formatShape(first?.t.shape ?? [])} and ${formatShape(t.shape)}`,
      );
    }
  }
  const pair = {
    xs: xs.map((t, i) => fromTensor(label('x', signature.inputNames, i), t)),
    ys: ys.map((t, i) => fromTensor(label('y', signature.outputNames, i), t)),
  };
  for (const ex of [...pair.xs, ...pair.ys]) checkFinite(where, ex);
  return pair;
}

/** x and y given as tensors, lists or objects, as examples (see tensorExamples). */
export function modelExamples(where: string, signature: ModelSignature, x: unknown, y: unknown): ExamplePair {
  const xs = tensorList(where, 'x', 'input', x, signature.inputNames);
  const ys = tensorList(where, 'y', 'output', y, signature.outputNames);
  return tensorExamples(where, signature, xs, ys);
}

/** A dataset feeds a model with one input and one output. */
function checkDatasetFits(where: string, signature: ModelSignature): void {
  const inputs = signature.inputNames.length;
  const outputs = signature.outputNames.length;
  if (inputs !== 1 || outputs !== 1) {
    throw new ConfigError(
      where,
      `a Dataset feeds a model with one input and one output; ${signature.where} has ${inputs} input(s) and ` +
        `${outputs} output(s): give x and y as lists or objects of tensors`,
    );
  }
}

/** A dataset's samples and class ids as examples, after checking its arrays fit its shape and hold finite values. */
export function datasetExamples(where: string, signature: ModelSignature, ds: Dataset): ExamplePair {
  checkDatasetFits(where, signature);
  const pair = fromDataset(where, ds);
  for (const ex of [...pair.xs, ...pair.ys]) checkFinite(where, ex);
  return pair;
}

/** The inputs of predict: tensors (one, a list or an object) or a dataset's samples; unchecked values. */
export function inputExamples(where: string, signature: ModelSignature, x: ModelData | Dataset): Examples[] {
  if (isDataset(x)) {
    checkDatasetFits(where, signature);
    return [...fromDataset(where, x).xs];
  }
  const xs = tensorList(where, 'x', 'input', x, signature.inputNames);
  const counts = new Set(xs.map((t) => t.shape[0]));
  if (counts.size > 1) {
    throw new ShapeError(
      where,
      `every input must have the same number of examples, received ${xs.map((t) => formatShape(t.shape)).join(', ')}`,
    );
  }
  return xs.map((t, i) => fromTensor(label('x', signature.inputNames, i), t));
}

/** A training or evaluation pair given as `[x, y]` (tensors, lists or objects) or as a dataset (`validationData`). */
export function examplePair(
  where: string,
  signature: ModelSignature,
  data: readonly [ModelData, ModelData] | Dataset,
): ExamplePair {
  if (isDataset(data)) return datasetExamples(where, signature, data);
  if (!Array.isArray(data) || data.length !== 2) {
    throw new ConfigError(where, `expected [x, y] or a Dataset, received ${describe(data)}`);
  }
  return modelExamples(where, signature, data[0], data[1]);
}

/**
 * The examples of a call taking `(x, y, args)` or `(dataset, args)` — the two forms of fit and evaluate — and its
 * args, with an error that names the method when the arguments fit neither form.
 */
export function resolveCall<Args extends object>(
  where: string,
  signature: ModelSignature,
  first: ModelData | Dataset,
  second: ModelData | Args | undefined,
  third: Args | undefined,
): { data: ExamplePair; args: Args | undefined } {
  if (isDataset(first)) {
    if (second instanceof Tensor || Array.isArray(second))
      throw new ConfigError(
        where,
        `a Dataset carries its labels: call ${where}(dataset, args), not ${where}(dataset, y)`,
      );
    if (third !== undefined) throw new ConfigError(where, `expected (dataset, args), received a third argument`);
    return { data: datasetExamples(where, signature, first), args: isArgs<Args>(second) ? second : undefined };
  }
  if (!(first instanceof Tensor) && (typeof first !== 'object' || first === null)) {
    throw new ConfigError(where, `expected a Tensor or a Dataset, received ${String(first)}`);
  }
  if (
    first instanceof Tensor &&
    signature.outputNames.length === 1 &&
    !(second instanceof Tensor) &&
    !Array.isArray(second)
  ) {
    // One output and no y tensor: args passed where y belongs, or y forgotten.
    const values = typeof second === 'object' ? Object.values(second) : [];
    if (values.length === 0 || !values.every((v) => v instanceof Tensor)) {
      throw new ConfigError(where, `expected (x, y, args) with tensors x and y, received y = ${describe(second)}`);
    }
  }
  return { data: modelExamples(where, signature, first, second), args: third };
}

/** The second argument of `(dataset, args)`: args, never data. */
function isArgs<Args extends object>(value: ModelData | Args | undefined): value is Args {
  return value !== undefined && !(value instanceof Tensor) && !Array.isArray(value);
}
