/**
 * A compiled model's optimizer state ⇄ model files (the layout is described in io/optimizer-state.ts): saving writes
 * the optimizer's weights and a trainingConfig; loading compiles the model from the trainingConfig and puts the saved
 * weights back into its optimizer, so fit continues where it stopped.
 */
import { tidy } from '../engine.js';
import { type CnnlabError, ConfigError, errorMessage, FormatError, quote } from '../errors.js';
import { expectObject, type JsonObject } from '../io/json.js';
import type { TrainingConfig, TrainingConfigNames } from '../io/optimizer-state.js';
import { decodeWeight, encodeWeights, OPTIMIZER_GROUP, type WeightSpec } from '../io/weights.js';
import { getLoss, type Loss } from '../losses.js';
import { tensor } from '../ops/creation.js';
import { deserializeOptimizer, type NamedTensor, type Optimizer } from '../optimizers/index.js';
import type { Variable } from '../tensor.js';
import type { CompileArgs } from './compile.js';

/** What restoring reads from a compiled model. */
export interface CompiledModel {
  readonly name: string;
  readonly weights: readonly Variable[];
  readonly optimizer: Optimizer;
}

/** A plain-JSON copy of a config (drops undefined fields; schedules are already `{className, config}`). */
function jsonObject(value: unknown, where: string): JsonObject {
  const copy: unknown = JSON.parse(JSON.stringify(value));
  return expectObject(copy, where, 'optimizer config');
}

/**
 * The loss of that name. getLoss looks names up in a plain object, where 'constructor' finds `Object` and returns
 * no loss at all, so the result is checked.
 */
function knownLoss(name: string): Loss {
  const loss = getLoss(name);
  if (typeof loss.name !== 'string' || typeof loss.compute !== 'function')
    throw new ConfigError(undefined, `unknown loss ${quote(name)}`);
  return loss;
}

/** tfjs's `trainingConfig` for a model compiled with `optimizer` and the named loss and metrics. */
export function trainingConfigOf(optimizer: Optimizer, names: TrainingConfigNames, where: string): JsonObject {
  const loss = naming(where, 'loss', () => knownLoss(names.loss), ConfigError);
  return {
    loss: loss.name,
    metrics: [...(names.metrics ?? [])],
    optimizer_config: { class_name: optimizer.className, config: jsonObject(optimizer.getConfig(), where) },
  };
}

/** The optimizer's weights as specs (group 'optimizer') and little-endian float32 data, in getWeights order. */
export function encodeOptimizerWeights(
  optimizer: Optimizer,
  where: string,
): { specs: WeightSpec[]; data: ArrayBuffer } {
  const weights = optimizer.getWeights();
  try {
    const { specs, data } = encodeWeights(
      weights.map((w) => ({ name: w.name, shape: w.tensor.shape, values: w.tensor.dataSync() })),
      where,
    );
    return { specs: specs.map((spec) => ({ ...spec, group: OPTIMIZER_GROUP })), data };
  } finally {
    // getWeights makes `iter` afresh (the slots are the optimizer's live variables).
    weights[0]?.tensor.dispose();
  }
}

/**
 * Runs `fn`; its error is restated under the file and the field, as a FormatError (the file is at fault) or `Kind`.
 * A TypeError stays one, so bugs show as bugs.
 */
function naming<T>(
  where: string,
  field: string,
  fn: () => T,
  Kind: new (where: string, detail: string, options: { cause: unknown }) => CnnlabError = FormatError,
): T {
  try {
    return fn();
  } catch (error) {
    const detail = `\`${field}\`: ${errorMessage(error)}`;
    throw error instanceof TypeError
      ? new TypeError(`${where}: ${detail}`, { cause: error })
      : new Kind(where, detail, { cause: error });
  }
}

/** Compiles `model` as trainingConfig says: the optimizer rebuilt from its config, the loss and metrics by name. */
export function compileFromTrainingConfig(
  model: { compile(args: CompileArgs): void },
  config: TrainingConfig,
  where: string,
): void {
  const optimizer = naming(where, 'trainingConfig.optimizer_config', () => deserializeOptimizer(config.optimizer));
  const loss = naming(where, 'trainingConfig.loss', () => knownLoss(config.loss));
  naming(where, 'trainingConfig', () => model.compile({ optimizer, loss, metrics: config.metrics }));
}

/** `d1/kernel/m` → ['d1/kernel', 'm']: the variable a slot belongs to, and its kind (tfjs may add a `:0` suffix). */
function splitSlot(name: string): { owner: string; kind: string } {
  const plain = name.replace(/:\d+$/, '');
  const slash = Math.max(plain.lastIndexOf('/'), 0);
  return { owner: plain.slice(0, slash), kind: plain.slice(slash + 1) };
}

/**
 * The model variable named `owner`: exactly, or without the `_<n>` suffix tfjs gives a variable whose name is taken
 * already in its process (a second tfjs model with the same layer names saves its slots as `d1/kernel_1/m`, while
 * its model weights keep `d1/kernel`). Our weight names never end in `_<digits>` (kernel, bias, gamma, …).
 */
function ownerVariable(owner: string, byName: ReadonlyMap<string, Variable>): Variable | undefined {
  return byName.get(owner) ?? byName.get(owner.replace(/_\d+$/, ''));
}

/**
 * The model variables the slot weights belong to (in slot order), and each slot's name as our optimizer names it
 * (`<variable>/<kind>`), checking tfjs's layout: blocks of one slot kind, each listing the same variables in the
 * same order.
 */
function slotVariables(
  slots: readonly WeightSpec[],
  model: CompiledModel,
  where: string,
): { variables: Variable[]; names: string[] } {
  const byName = new Map(model.weights.map((v) => [v.name, v]));
  const owned = slots.map((spec) => {
    const { owner, kind } = splitSlot(spec.name);
    const variable = ownerVariable(owner, byName);
    if (variable === undefined) {
      throw new FormatError(
        where,
        `optimizer weight ${quote(spec.name)} belongs to ${quote(owner)}, which is not a weight of model ${quote(model.name)}`,
      );
    }
    return { spec, variable, kind };
  });
  const variables = [...new Set(owned.map((o) => o.variable))];
  if (variables.length > 0 && slots.length % variables.length !== 0) {
    throw new FormatError(
      where,
      `${slots.length} optimizer slot weights cannot be split evenly over their ${variables.length} variables`,
    );
  }
  owned.forEach(({ spec, variable }, i) => {
    const expected = variables[i % variables.length];
    if (variable !== expected) {
      throw new FormatError(
        where,
        `optimizer weight ${quote(spec.name)} is out of order: position ${i + 1} of the optimizer group must belong to ${quote(expected?.name)}`,
      );
    }
  });
  return { variables, names: owned.map((o) => `${o.variable.name}/${o.kind}`) };
}

/**
 * Restores the optimizer's weights from the 'optimizer' specs (`offsets`: each spec's byte offset in `data`) into
 * the compiled model's optimizer. Slots are matched to the model's variables by name (see ownerVariable).
 */
export function restoreOptimizerWeights(
  model: CompiledModel,
  specs: readonly WeightSpec[],
  offsets: readonly number[],
  data: ArrayBuffer,
  where: string,
): void {
  const entries = specs.flatMap((spec, i) =>
    spec.group === OPTIMIZER_GROUP ? [{ spec, offset: offsets[i] ?? 0 }] : [],
  );
  if (entries.length === 0) return;
  const [iter, ...slots] = entries;
  if (iter?.spec.name.replace(/:\d+$/, '') !== 'iter') {
    throw new FormatError(
      where,
      `the optimizer group must start with 'iter', received ${quote(iter?.spec.name ?? '')}`,
    );
  }
  const { variables, names } = slotVariables(
    slots.map((s) => s.spec),
    model,
    where,
  );
  const values = entries.map((e) => ({
    name: e.spec.name,
    shape: e.spec.shape,
    values: decodeWeight(e.spec, data, e.offset, where),
  }));
  const optimizer = model.optimizer;
  tidy(() => {
    const weights: NamedTensor[] = values.map((w) => ({ name: w.name, tensor: tensor(w.values, w.shape) }));
    naming(where, 'optimizer weights', () => optimizer.setWeights(weights, variables));
  });
  // setWeights goes by position; the names must agree too, or values would land in another kind of slot.
  const restored = optimizer.getWeights();
  restored[0]?.tensor.dispose();
  restored.forEach((w, i) => {
    const name = i === 0 ? 'iter' : names[i - 1];
    if (w.name !== name) {
      const listed = entries[i]?.spec.name ?? '';
      throw new FormatError(
        where,
        `optimizer weight ${quote(listed)} is at position ${i + 1} of the optimizer group, where ${optimizer.className} keeps ${quote(w.name)}`,
      );
    }
  });
}
