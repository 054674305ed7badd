/**
 * The lab's two presets and how command-line overrides apply to them.
 *
 * Full (the default): MNIST and Fashion-MNIST, 3 seeds, 4,000 training and 1,000 validation images drawn from the
 * training split, the whole 10,000-image test split, 5 epochs of batch 64 (the brief's batch size). With the 28
 * distinct variants of the built-in groups that is 168 runs.
 *
 * Quick (`--quick`): MNIST only, 1 seed, 400 training, 200 validation and 400 test images, 2 epochs of batch 32 —
 * about a minute for every built-in group on the wasm backend; it checks the machinery, its verdicts mean little.
 *
 * The target validation accuracies (timed by epochs and seconds to target) are set where the baseline crosses them
 * late in training — measured: 0.958 (MNIST) and 0.80 (Fashion-MNIST) after 5 full epochs, 0.63 (MNIST) after 2
 * quick ones — so variants that learn faster reach them sooner and slower ones may not reach them at all.
 */
import { ConfigError } from '../index.js';
import { LAB_DATASETS, type LabDataset, type LabSettings } from './spec.js';

export interface SettingsOverrides {
  readonly datasets?: readonly LabDataset[];
  /** Number of seeds: seeds 0 … n − 1. */
  readonly seeds?: number;
  readonly trainSize?: number;
  readonly validationSize?: number;
  readonly testSize?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  /** One target validation accuracy for every dataset. */
  readonly target?: number;
  /** Target validation accuracies by dataset (over `target` and the preset). */
  readonly targets?: Readonly<Partial<Record<LabDataset, number>>>;
}

export const FULL_SETTINGS: LabSettings = {
  datasets: LAB_DATASETS,
  seeds: [0, 1, 2],
  trainSize: 4000,
  validationSize: 1000,
  testSize: 10000,
  epochs: 5,
  batchSize: 64,
  targets: { mnist: 0.95, 'fashion-mnist': 0.78 },
  quick: false,
};

export const QUICK_SETTINGS: LabSettings = {
  datasets: ['mnist'],
  seeds: [0],
  trainSize: 400,
  validationSize: 200,
  testSize: 400,
  epochs: 2,
  batchSize: 32,
  targets: { mnist: 0.6, 'fashion-mnist': 0.55 },
  quick: true,
};

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
    throw new ConfigError('lab', `\`${name}\` must be a positive integer, received ${value}`);
  }
}

export function labSettings(quick: boolean, overrides: SettingsOverrides = {}): LabSettings {
  const base = quick ? QUICK_SETTINGS : FULL_SETTINGS;
  for (const key of ['seeds', 'trainSize', 'validationSize', 'testSize', 'epochs', 'batchSize'] as const)
    positiveInteger(key, overrides[key]);
  const { target } = overrides;
  const checkTarget = (name: string, value: number | undefined): void => {
    if (value !== undefined && !(value > 0 && value <= 1))
      throw new ConfigError('lab', `\`${name}\` must be in (0, 1], received ${value}`);
  };
  checkTarget('target', target);
  for (const [dataset, value] of Object.entries(overrides.targets ?? {})) checkTarget(`targets.${dataset}`, value);
  if (overrides.datasets?.length === 0) throw new ConfigError('lab', '`datasets` must name at least one dataset');
  return {
    datasets: overrides.datasets ?? base.datasets,
    seeds: overrides.seeds === undefined ? base.seeds : Array.from({ length: overrides.seeds }, (_, i) => i),
    trainSize: overrides.trainSize ?? base.trainSize,
    validationSize: overrides.validationSize ?? base.validationSize,
    testSize: overrides.testSize ?? base.testSize,
    epochs: overrides.epochs ?? base.epochs,
    batchSize: overrides.batchSize ?? base.batchSize,
    targets: {
      ...(target === undefined ? base.targets : { mnist: target, 'fashion-mnist': target }),
      ...overrides.targets,
    },
    quick,
  };
}
