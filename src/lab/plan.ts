/**
 * Expands groups × datasets × seeds into runs. Equal runs are trained once: the baseline appears in every group,
 * and a variant that two groups share (stride-2 convolutions) is one run too. Runs are ordered seed by seed, so an
 * interrupted lab has every variant's first seeds before any variant's last.
 */
import { ConfigError, type ConfigValue, errorMessage, type Optimizer, optimizers } from '../index.js';
import { labModel, resolveModel } from './model.js';
import {
  BASELINE_OPTIMIZER,
  type GroupSpec,
  type LabDataset,
  type LabSettings,
  type OptimizerSpec,
  type ResolvedModelSpec,
  type RunSpec,
  runKey,
} from './spec.js';

export { briefOptions, resolveModel } from './model.js';

export interface PlannedRun {
  readonly key: string;
  readonly spec: RunSpec;
}

/** Which run each (group, variant, dataset, seed) uses. */
export interface Membership {
  readonly group: string;
  readonly variant: string;
  readonly dataset: LabDataset;
  readonly seed: number;
  readonly key: string;
}

export interface LabPlan {
  readonly settings: LabSettings;
  readonly groups: readonly GroupSpec[];
  /** Unique runs in training order. */
  readonly runs: readonly PlannedRun[];
  readonly members: readonly Membership[];
}

/** Builds the optimizer a spec names; throws (naming `where`) on an unknown name or an option it does not take. */
export function buildOptimizer(spec: OptimizerSpec | RunSpec['optimizer'], where: string): Optimizer {
  const className = 'name' in spec ? spec.name : spec.className;
  const options = 'name' in spec ? (spec.options ?? {}) : spec.config;
  let optimizer: Optimizer;
  try {
    optimizer = optimizers.getOptimizer({ className, config: options });
  } catch (error) {
    throw new ConfigError(where, errorMessage(error), { cause: error });
  }
  const known = Object.keys(optimizer.getConfig());
  const unknown = Object.keys(options).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw new ConfigError(
      where,
      `optimizer '${className}' has no option \`${unknown}\`; its options are ${known.join(', ')}`,
    );
  }
  return optimizer;
}

/** The optimizer's full config (defaults written out), for the run key. */
function resolveOptimizer(spec: OptimizerSpec, where: string): RunSpec['optimizer'] {
  const optimizer = buildOptimizer(spec, where);
  const { className, config } = optimizers.serializeOptimizer(optimizer);
  const plain: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') plain[key] = value;
  }
  optimizer.dispose();
  return { className, config: plain };
}

/** Throws, naming the variant, when the model cannot be built (e.g. kernels too large for the shrinking images). */
function checkBuildable(model: ResolvedModelSpec, where: string): void {
  try {
    const built = labModel(model, 0);
    for (const weight of built.weights) weight.dispose();
  } catch (error) {
    throw new ConfigError(where, `the model cannot be built: ${errorMessage(error)}`, { cause: error });
  }
}

export function planLab(groups: readonly GroupSpec[], settings: LabSettings): LabPlan {
  if (groups.length === 0) throw new ConfigError('lab', 'no groups to run');
  const resolved = groups.map((group) => ({
    group,
    variants: group.variants.map((variant) => {
      const where = `group '${group.name}', variant '${variant.name}'`;
      const model = resolveModel(variant.model, where);
      checkBuildable(model, where);
      return { variant, model, optimizer: resolveOptimizer(variant.optimizer ?? BASELINE_OPTIMIZER, where) };
    }),
  }));
  const runs = new Map<string, PlannedRun>();
  const members: Membership[] = [];
  for (const seed of settings.seeds) {
    for (const dataset of settings.datasets) {
      for (const { group, variants } of resolved) {
        for (const { variant, model, optimizer } of variants) {
          const spec: RunSpec = {
            dataset,
            seed,
            model,
            optimizer,
            trainSize: settings.trainSize,
            validationSize: settings.validationSize,
            testSize: settings.testSize,
            epochs: settings.epochs,
            batchSize: settings.batchSize,
          };
          const key = runKey(spec);
          if (!runs.has(key)) runs.set(key, { key, spec });
          members.push({ group: group.name, variant: variant.name, dataset, seed, key });
        }
      }
    }
  }
  return { settings, groups, runs: [...runs.values()], members };
}

/** Picks groups by name (`--group a,b`); an unknown name lists the known ones. */
export function selectGroups(groups: readonly GroupSpec[], names: readonly string[] | undefined): GroupSpec[] {
  if (names === undefined || names.length === 0) return [...groups];
  return names.map((name) => {
    const found = groups.find((g) => g.name === name);
    if (found === undefined)
      throw new ConfigError(
        '--group',
        `unknown group '${name}'; known groups: ${groups.map((g) => g.name).join(', ')}`,
      );
    return found;
  });
}
