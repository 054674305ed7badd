/**
 * The technique lab's experiment definitions as plain JSON-able values: a group changes one thing of the baseline
 * (the brief's model, trained with Adam); each variant of a group is one setting of that thing. A run is one variant
 * trained once on one dataset with one seed.
 */
import type { activations, ConfigValue } from '../index.js';

export const LAB_DATASETS = ['mnist', 'fashion-mnist'] as const;
export type LabDataset = (typeof LAB_DATASETS)[number];

/** A kernel penalty l1 · Σ|w| + l2 · Σw² (either factor may be left out: 0). */
export interface RegularizerSpec {
  readonly l1?: number;
  readonly l2?: number;
}

/** The architectures a variant may name: the brief's model (the default) or `resnet` (a functional ResNet). */
export const LAB_ARCHITECTURES = ['brief', 'resnet'] as const;
export type LabArchitecture = (typeof LAB_ARCHITECTURES)[number];

/**
 * The changes a variant makes to the baseline: `briefModel` options (what is left out keeps the baseline's value), or
 * with `architecture: 'resnet'` a `resnet` network (depth, width, residual and batchNormMomentum apply to it).
 */
export interface ModelSpec {
  /** Default 'brief'. */
  readonly architecture?: LabArchitecture;
  readonly activation?: activations.ActivationIdentifier;
  readonly kernelSize?: number;
  readonly padding?: 'valid' | 'same';
  readonly pooling?: 'max' | 'average' | 'strided';
  readonly poolSize?: number;
  readonly batchNorm?: boolean;
  /** BatchNormalization momentum; Keras' 0.99 unless given (brief: only meaningful with batchNorm). */
  readonly batchNormMomentum?: number;
  readonly dropout?: number;
  readonly spatialDropout?: number;
  readonly kernelRegularizer?: RegularizerSpec | null;
  /** Brief: SeparableConv2D for the second and third convolutions. Default false. */
  readonly separable?: boolean;
  /** ResNet: layers with weights, 6n + 2. Default 8. */
  readonly depth?: number;
  /** ResNet: filters of the first stage. Default 16. */
  readonly width?: number;
  /** ResNet: false drops the shortcuts (a plain network of the same depth). Default true. */
  readonly residual?: boolean;
}

/** The options that apply only to a ResNet; every other option but batchNormMomentum applies only to the brief. */
export const RESNET_OPTIONS = ['depth', 'width', 'residual'] as const;

/** The brief options a run key always writes out. */
type BriefKeyOptions = Omit<
  ModelSpec,
  'architecture' | 'batchNormMomentum' | 'separable' | (typeof RESNET_OPTIONS)[number]
>;

/**
 * The brief's model with every option written out, so that two equal models have equal run keys — except
 * batchNormMomentum (written only when batch norm is on and the momentum is not Keras' 0.99) and separable (written
 * only when true), so that runs keyed before they existed keep their keys.
 */
export type ResolvedBriefSpec = Required<BriefKeyOptions> & {
  readonly batchNormMomentum?: number;
  readonly separable?: true;
};

/** A ResNet with every option written out. */
export interface ResolvedResNetSpec {
  readonly architecture: 'resnet';
  readonly depth: number;
  readonly width: number;
  readonly residual: boolean;
  readonly batchNormMomentum: number;
}

export type ResolvedModelSpec = ResolvedBriefSpec | ResolvedResNetSpec;

/** Keras' BatchNormalization momentum, which briefModel uses unless told otherwise. */
export const DEFAULT_BATCH_NORM_MOMENTUM = 0.99;

/** The brief's model: `briefModel()`'s defaults, written out. */
export const BASELINE_MODEL: ResolvedBriefSpec = {
  activation: 'relu',
  kernelSize: 3,
  padding: 'valid',
  pooling: 'max',
  poolSize: 2,
  batchNorm: false,
  dropout: 0.5,
  spatialDropout: 0,
  kernelRegularizer: null,
};

/**
 * An optimizer by name ('adam', 'sgd', …) with options as the optimizer factories take them (`learningRate`,
 * `momentum`…).
 */
export interface OptimizerSpec {
  readonly name: string;
  readonly options?: Readonly<Record<string, ConfigValue>>;
}

/** The brief's training: Adam with its default learning rate (0.001). */
export const BASELINE_OPTIMIZER: OptimizerSpec = { name: 'adam' };

export interface VariantSpec {
  /** Short id, unique in its group ('l2-1e-4'). */
  readonly name: string;
  /** What the report shows ('L2 1e-4'). */
  readonly label: string;
  /** Changes to the baseline model. */
  readonly model: ModelSpec;
  /** Replaces the baseline optimizer; omitted: Adam (the baseline's). */
  readonly optimizer?: OptimizerSpec;
}

/** What a group's verdict looks at besides test accuracy (always first). */
export const FOCUS_METRICS = ['testAccuracy', 'generalizationGap', 'epochsToTarget', 'secondsPerEpoch'] as const;
export type FocusMetric = (typeof FOCUS_METRICS)[number];

export interface GroupSpec {
  /** Id used by `--group` (lower case letters, digits and dashes). */
  readonly name: string;
  readonly title: string;
  /** The question the group answers, shown above its verdict. */
  readonly question: string;
  /** Metrics the verdict compares; test accuracy is always compared. */
  readonly focus: readonly FocusMetric[];
  /** The first variant is the group's reference (for built-in groups, the baseline). */
  readonly variants: readonly VariantSpec[];
}

/** Data sizes and training length shared by every run of a lab. */
export interface LabSettings {
  readonly datasets: readonly LabDataset[];
  readonly seeds: readonly number[];
  /** Training images, drawn at random (with a fixed data seed) from the dataset's training split. */
  readonly trainSize: number;
  /** Validation images, drawn from the training split too, disjoint from the training images. */
  readonly validationSize: number;
  /** The first images of the test split. */
  readonly testSize: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Validation accuracy whose first crossing is timed, per dataset. */
  readonly targets: Readonly<Record<LabDataset, number>>;
  readonly quick: boolean;
}

/**
 * Everything that decides a run's outcome (the target accuracy does not: it is applied when results are
 * summarized).
 */
export interface RunSpec {
  readonly dataset: LabDataset;
  readonly seed: number;
  readonly model: ResolvedModelSpec;
  /** The optimizer's full serialized config (`{className, config}`), so defaults are part of the key. */
  readonly optimizer: { readonly className: string; readonly config: Readonly<Record<string, ConfigValue>> };
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
  readonly epochs: number;
  readonly batchSize: number;
}

/** JSON text with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** 32-bit FNV-1a of a string's UTF-16 code units, seeded, as 8 hex digits. */
function fnv1a(text: string, seed: number): string {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A run's file-name-safe key: dataset, seed and a 64-bit hash of the spec (`mnist-s0-1a2b3c4d5e6f7a8b`). */
export function runKey(spec: RunSpec): string {
  const text = canonicalJson(spec);
  return `${spec.dataset}-s${spec.seed}-${fnv1a(text, 0)}${fnv1a(text, 0x9e3779b9)}`;
}
