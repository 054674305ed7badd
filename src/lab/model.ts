/**
 * A variant's model: its changes resolved against the baseline into the spec a run key holds, and the network built
 * from that spec — the brief's model (`briefModel`) or a ResNet (`resnet`).
 */
import { briefModel, type BriefModelOptions, ConfigError, type LayersModel, regularizers, resnet } from '../index.js';
import {
  BASELINE_MODEL,
  DEFAULT_BATCH_NORM_MOMENTUM,
  type ModelSpec,
  RESNET_OPTIONS,
  type ResolvedBriefSpec,
  type ResolvedModelSpec,
  type ResolvedResNetSpec,
} from './spec.js';

/** The options of `changes` that are set, without `architecture`. */
function setOptions(changes: ModelSpec): string[] {
  return Object.entries(changes)
    .filter(([key, value]) => value !== undefined && key !== 'architecture')
    .map(([key]) => key);
}

function resolveResNet(changes: ModelSpec, where: string): ResolvedResNetSpec {
  const foreign = setOptions(changes).filter(
    (key) => key !== 'batchNormMomentum' && !RESNET_OPTIONS.some((option) => option === key),
  );
  if (foreign.length > 0) {
    throw new ConfigError(
      where,
      `model option \`${foreign[0] ?? ''}\` does not apply to architecture 'resnet'; ` +
        `its options are ${RESNET_OPTIONS.join(', ')}, batchNormMomentum`,
    );
  }
  return {
    architecture: 'resnet',
    depth: changes.depth ?? 8,
    width: changes.width ?? 16,
    residual: changes.residual ?? true,
    batchNormMomentum: changes.batchNormMomentum ?? DEFAULT_BATCH_NORM_MOMENTUM,
  };
}

function resolveBrief(changes: ModelSpec, where: string): ResolvedBriefSpec {
  const foreign = setOptions(changes).find((key) => RESNET_OPTIONS.some((option) => option === key));
  if (foreign !== undefined) {
    throw new ConfigError(where, `model option \`${foreign}\` applies only to architecture 'resnet'`);
  }
  const { architecture: _architecture, separable, batchNormMomentum, ...rest } = changes;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const model: ResolvedBriefSpec = { ...BASELINE_MODEL, ...defined };
  const reg = model.kernelRegularizer;
  const l1 = reg?.l1 ?? 0;
  const l2 = reg?.l2 ?? 0;
  const momentumMatters =
    model.batchNorm && batchNormMomentum !== undefined && batchNormMomentum !== DEFAULT_BATCH_NORM_MOMENTUM;
  return {
    ...model,
    kernelRegularizer: l1 === 0 && l2 === 0 ? null : { l1, l2 },
    ...(momentumMatters ? { batchNormMomentum } : {}),
    ...(separable === true ? { separable } : {}),
  };
}

/**
 * The baseline with a variant's changes; a zero penalty is written as no penalty. Throws, naming `where`, for an
 * option that does not apply to the architecture.
 */
export function resolveModel(changes: ModelSpec, where = 'model'): ResolvedModelSpec {
  return changes.architecture === 'resnet' ? resolveResNet(changes, where) : resolveBrief(changes, where);
}

/** `briefModel` options for a resolved brief spec (the penalty becomes a regularizer object). */
export function briefOptions(model: ResolvedBriefSpec, seed: number): BriefModelOptions {
  const reg = model.kernelRegularizer;
  return {
    ...model,
    seed,
    kernelRegularizer: reg === null ? null : regularizers.l1l2({ l1: reg.l1 ?? 0, l2: reg.l2 ?? 0 }),
  };
}

/** The network a resolved spec describes, seeded by `seed`, for images of `inputShape` in `numClasses` classes. */
export function labModel(
  model: ResolvedModelSpec,
  seed: number,
  data: { readonly inputShape?: readonly [number, number, number]; readonly numClasses?: number } = {},
): LayersModel {
  if ('architecture' in model) {
    const { architecture: _architecture, ...options } = model;
    return resnet({ ...options, ...data, seed });
  }
  return briefModel({ ...briefOptions(model, seed), ...data });
}
