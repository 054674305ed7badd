/**
 * User-defined experiment groups from a JSON file (`--groups-file`), checked entry by entry: an error names the file,
 * the group and variant, the field, what was expected and what was received.
 *
 *     { "groups": [ { "name": "kernels", "title": "Kernel size", "question": "…", "focus": ["secondsPerEpoch"],
 *         "variants": [ { "name": "3x3", "label": "3×3 same", "model": { "padding": "same" } },
 *                       { "name": "5x5", "model": { "kernelSize": 5, "padding": "same" },
 *                         "optimizer": { "name": "sgd", "learningRate": 0.05, "momentum": 0.9 } } ] } ] }
 *
 * A variant's `model` changes the baseline (the brief's model; `"separable": true` makes its second and third
 * convolutions depthwise-separable), or names another architecture: `{"architecture": "resnet", "depth": 20,
 * "width": 16, "residual": false}`. `optimizer` replaces Adam (a name, or a name with options).
 */
import { activations, type ConfigValue, errorMessage, FormatError } from '../index.js';
import { buildOptimizer } from './plan.js';
import {
  FOCUS_METRICS,
  type FocusMetric,
  type GroupSpec,
  LAB_ARCHITECTURES,
  type ModelSpec,
  type OptimizerSpec,
  type RegularizerSpec,
  RESNET_OPTIONS,
  type VariantSpec,
} from './spec.js';

type Json = ConfigValue;
type JsonObject = Readonly<Record<string, Json>>;

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: Json | undefined): string => (v === undefined ? 'nothing' : JSON.stringify(v));
const NAME = /^[a-z0-9][a-z0-9._-]*$/;

class Where {
  constructor(readonly text: string) {}

  fail(field: string, expected: string, received: Json | undefined): never {
    throw new FormatError(this.text, `\`${field}\` must be ${expected}, received ${show(received)}`);
  }

  /** Rejects keys outside `known`, naming them and listing the known ones. */
  onlyKeys(object: JsonObject, known: readonly string[], what: string): void {
    const unknown = Object.keys(object).find((k) => !known.includes(k));
    if (unknown !== undefined)
      throw new FormatError(this.text, `unknown ${what} \`${unknown}\`; known: ${known.join(', ')}`);
  }
}

const MODEL_KEYS = [
  'activation',
  'kernelSize',
  'padding',
  'pooling',
  'poolSize',
  'batchNorm',
  'batchNormMomentum',
  'dropout',
  'spatialDropout',
  'kernelRegularizer',
  'architecture',
  'separable',
  ...RESNET_OPTIONS,
] as const;

function oneOf<T extends string>(where: Where, field: string, value: Json | undefined, choices: readonly T[]): T {
  const found = choices.find((c) => c === value);
  if (found === undefined) where.fail(field, `one of ${choices.join(', ')}`, value);
  return found;
}

function positiveInteger(where: Where, field: string, value: Json | undefined): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    where.fail(field, 'a positive integer', value);
  return value;
}

function rate(where: Where, field: string, value: Json | undefined): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) where.fail(field, 'a number in [0, 1)', value);
  return value;
}

function momentum(where: Where, value: Json | undefined): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1))
    where.fail('model.batchNormMomentum', 'a number in (0, 1)', value);
  return value;
}

function regularizer(where: Where, value: Json | undefined): RegularizerSpec | null {
  if (value === null) return null;
  if (!isObject(value)) return where.fail('model.kernelRegularizer', 'null or an object like {"l2": 0.0001}', value);
  where.onlyKeys(value, ['l1', 'l2'], 'kernelRegularizer factor');
  const factor = (key: 'l1' | 'l2'): number | undefined => {
    const f = value[key];
    if (f === undefined) return undefined;
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0)
      where.fail(`model.kernelRegularizer.${key}`, 'a non-negative number', f);
    return f;
  };
  return { l1: factor('l1'), l2: factor('l2') };
}

function depth(where: Where, value: Json | undefined): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 8 || (value - 2) % 6 !== 0)
    where.fail('model.depth', '6n + 2 for a whole n ≥ 1 (8, 14, 20, …)', value);
  return value;
}

/** Rejects options that the variant's architecture does not take. */
function checkArchitecture(where: Where, value: JsonObject): void {
  const set = Object.keys(value).filter((k) => k !== 'architecture' && value[k] !== undefined);
  const resnetOnly = (k: string): boolean => RESNET_OPTIONS.some((option) => option === k);
  if (value.architecture === 'resnet') {
    const foreign = set.find((k) => k !== 'batchNormMomentum' && !resnetOnly(k));
    if (foreign !== undefined)
      throw new FormatError(
        where.text,
        `\`model.${foreign}\` does not apply to architecture 'resnet'; its options are ` +
          `${RESNET_OPTIONS.join(', ')}, batchNormMomentum`,
      );
  } else {
    const foreign = set.find(resnetOnly);
    if (foreign !== undefined)
      throw new FormatError(
        where.text,
        `\`model.${foreign}\` applies only to architecture 'resnet' (add "architecture": "resnet")`,
      );
  }
}

function model(where: Where, value: Json | undefined): ModelSpec {
  if (value === undefined) return {};
  if (!isObject(value)) return where.fail('model', 'an object of brief-model options', value);
  where.onlyKeys(value, MODEL_KEYS, 'model option');
  const v = (k: (typeof MODEL_KEYS)[number]): Json | undefined => value[k];
  const has = (k: (typeof MODEL_KEYS)[number]): boolean => v(k) !== undefined;
  const bool = (k: 'batchNorm' | 'separable' | 'residual'): boolean => {
    const b = v(k);
    if (typeof b !== 'boolean') where.fail(`model.${k}`, 'true or false', b);
    return b;
  };
  const architecture = has('architecture')
    ? oneOf(where, 'model.architecture', v('architecture'), LAB_ARCHITECTURES)
    : undefined;
  checkArchitecture(where, value);
  return {
    ...(architecture === undefined ? {} : { architecture }),
    ...(has('activation')
      ? { activation: oneOf(where, 'model.activation', v('activation'), activations.activationNames) }
      : {}),
    ...(has('kernelSize') ? { kernelSize: positiveInteger(where, 'model.kernelSize', v('kernelSize')) } : {}),
    ...(has('padding') ? { padding: oneOf(where, 'model.padding', v('padding'), ['valid', 'same'] as const) } : {}),
    ...(has('pooling')
      ? { pooling: oneOf(where, 'model.pooling', v('pooling'), ['max', 'average', 'strided'] as const) }
      : {}),
    ...(has('poolSize') ? { poolSize: positiveInteger(where, 'model.poolSize', v('poolSize')) } : {}),
    ...(has('batchNorm') ? { batchNorm: bool('batchNorm') } : {}),
    ...(has('batchNormMomentum') ? { batchNormMomentum: momentum(where, v('batchNormMomentum')) } : {}),
    ...(has('dropout') ? { dropout: rate(where, 'model.dropout', v('dropout')) } : {}),
    ...(has('spatialDropout') ? { spatialDropout: rate(where, 'model.spatialDropout', v('spatialDropout')) } : {}),
    ...(has('kernelRegularizer') ? { kernelRegularizer: regularizer(where, v('kernelRegularizer')) } : {}),
    ...(has('separable') ? { separable: bool('separable') } : {}),
    ...(has('depth') ? { depth: depth(where, v('depth')) } : {}),
    ...(has('width') ? { width: positiveInteger(where, 'model.width', v('width')) } : {}),
    ...(has('residual') ? { residual: bool('residual') } : {}),
  };
}

function optimizer(where: Where, value: Json | undefined): OptimizerSpec | undefined {
  if (value === undefined) return undefined;
  let spec: OptimizerSpec;
  if (typeof value === 'string') {
    spec = { name: value };
  } else if (isObject(value) && typeof value.name === 'string') {
    const options: Record<string, Json> = {};
    for (const [key, option] of Object.entries(value)) {
      if (key === 'name') continue;
      if (typeof option !== 'number' && typeof option !== 'boolean')
        where.fail(`optimizer.${key}`, 'a number or true/false', option);
      options[key] = option;
    }
    spec = { name: value.name, options };
  } else {
    return where.fail('optimizer', 'a name ("sgd") or an object with a `name` and options', value);
  }
  buildOptimizer(spec, where.text).dispose();
  return spec;
}

function variant(groupWhere: string, value: Json | undefined, index: number): VariantSpec {
  const at: Where = new Where(`${groupWhere}, variant ${index + 1}`);
  if (!isObject(value)) return at.fail(`variants[${index}]`, 'an object', value);
  const name = value.name;
  if (typeof name !== 'string' || !NAME.test(name))
    at.fail('name', 'lower-case letters, digits, ".", "_" or "-"', name);
  const where: Where = new Where(`${groupWhere}, variant '${name}'`);
  where.onlyKeys(value, ['name', 'label', 'model', 'optimizer'], 'variant field');
  const label = value.label ?? name;
  if (typeof label !== 'string' || label.trim() === '') where.fail('label', 'a non-empty string', label);
  const opt = optimizer(where, value.optimizer);
  return { name, label, model: model(where, value.model), ...(opt === undefined ? {} : { optimizer: opt }) };
}

function group(source: string, value: Json | undefined, index: number, taken: ReadonlySet<string>): GroupSpec {
  const at: Where = new Where(`${source}: group ${index + 1}`);
  if (!isObject(value)) return at.fail(`groups[${index}]`, 'an object', value);
  const name = value.name;
  if (typeof name !== 'string' || !NAME.test(name))
    at.fail('name', 'lower-case letters, digits, ".", "_" or "-"', name);
  const text = `${source}: group '${name}'`;
  const where: Where = new Where(text);
  if (taken.has(name)) throw new FormatError(text, `the name is already used by another group; choose another`);
  where.onlyKeys(value, ['name', 'title', 'question', 'focus', 'variants'], 'group field');
  const title = value.title ?? name;
  const question = value.question ?? '';
  if (typeof title !== 'string') where.fail('title', 'a string', title);
  if (typeof question !== 'string') where.fail('question', 'a string', question);
  const focusValue = value.focus ?? [];
  if (!Array.isArray(focusValue)) return where.fail('focus', `a list of ${FOCUS_METRICS.join(', ')}`, focusValue);
  const focus: FocusMetric[] = focusValue.map((f: Json) => oneOf(where, 'focus', f, FOCUS_METRICS));
  const list = value.variants;
  if (!Array.isArray(list) || list.length === 0) return where.fail('variants', 'a non-empty list', list);
  const variants = list.map((v: Json, i: number) => variant(text, v, i));
  const names = variants.map((v) => v.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined)
    throw new FormatError(text, `two variants are named '${duplicate}'; variant names must be unique`);
  return { name, title, question, focus, variants };
}

/** Parses and checks a groups file's text. `taken` are names already in use (the built-in groups). */
export function parseGroupFile(text: string, source: string, taken: readonly string[] = []): GroupSpec[] {
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (error) {
    throw new FormatError(source, `not valid JSON (${errorMessage(error)})`, { cause: error });
  }
  const list = Array.isArray(parsed) ? parsed : isObject(parsed) ? parsed.groups : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new FormatError(
      source,
      `expected {"groups": [ … ]} with at least one group, received ${show(parsed).slice(0, 80)}`,
    );
  }
  const names = new Set(taken);
  return list.map((value: Json, i: number) => {
    const spec = group(source, value, i, names);
    names.add(spec.name);
    return spec;
  });
}
