/** Messages between the page and the training worker. Typed arrays travel as transferables where they are large. */
import type { ModelSummary, Settings } from './settings.js';

export type TrainingState = 'loading' | 'idle' | 'running' | 'paused' | 'done';

/** A model file picked by the user: its name (model.json, weights.bin, …) and bytes. */
export interface PickedFile {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export type ToWorker =
  /** `backend`: null for the default (wasm); 'js' selects the reference backend (the page's `?backend=js`). */
  | { readonly type: 'init'; readonly dataUrl: string; readonly backend: string | null }
  | { readonly type: 'start'; readonly settings: Settings }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'reset' }
  /** 28×28 ink values in [0, 1], row-major. */
  | { readonly type: 'predict'; readonly id: number; readonly pixels: Float32Array }
  | { readonly type: 'sample' }
  | { readonly type: 'save' }
  | { readonly type: 'load'; readonly files: readonly PickedFile[]; readonly settings: Settings };

/** One misclassified validation image (28×28 bytes) with its label and the model's guess. */
export interface Mistake {
  readonly pixels: Uint8Array;
  readonly label: number;
  readonly predicted: number;
  readonly confidence: number;
}

/** The first conv layer's kernels: `count` filters of kh × kw, stored [kh, kw, 1, count] as in the layer. */
export interface Filters {
  readonly kh: number;
  readonly kw: number;
  readonly count: number;
  readonly values: Float32Array;
}

export type FromWorker =
  | { readonly type: 'ready'; readonly trainCount: number; readonly validationCount: number; readonly backend: string }
  | { readonly type: 'state'; readonly state: TrainingState; readonly message: string; readonly hasModel: boolean }
  | { readonly type: 'model'; readonly source: 'settings' | 'file'; readonly summary: ModelSummary }
  /** Training numbers averaged over the batches since the last report; `x` is in epochs (fractional). */
  | {
      readonly type: 'progress';
      readonly x: number;
      readonly epoch: number;
      readonly epochs: number;
      readonly loss: number;
      readonly accuracy: number;
      readonly imagesPerSecond: number;
      readonly imagesSeen: number;
    }
  | {
      readonly type: 'validation';
      readonly x: number;
      readonly loss: number;
      readonly accuracy: number;
      readonly confusion: readonly (readonly number[])[];
      readonly mistakes: readonly Mistake[];
      readonly filters: Filters | null;
    }
  | { readonly type: 'prediction'; readonly id: number; readonly probabilities: readonly number[] }
  | { readonly type: 'sample'; readonly pixels: Float32Array; readonly label: number }
  | { readonly type: 'saved'; readonly modelJson: string; readonly weights: ArrayBuffer }
  | { readonly type: 'error'; readonly message: string };
