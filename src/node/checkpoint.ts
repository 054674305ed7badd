/**
 * Training checkpoints for an exact resume (Node only). After each epoch the checkpoint folder holds
 *   epoch-<n>/model.json + weights.bin   the model and its optimizer's state after n epochs (tfjs's layout)
 *   state.json                          which epoch folder is current, the history so far, the state of fit's
 *                                       random generator and of each layer's own one, and the caller's data
 * state.json is the commit point: it is replaced atomically only once the new epoch folder is complete, and older
 * folders are removed only after that. A process killed at any moment leaves a state.json naming a complete
 * folder — the previous checkpoint or the new one — and a resume from it repeats the uninterrupted run bit for bit.
 *
 * Dropout layers with their own `seed` draw their masks from a generator the layer keeps to itself, not from fit's:
 * its state is saved too (`layerRandom`, by layer name), or a resumed run would repeat the first epoch's masks.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, FormatError, StateError } from '../errors.js';
import { describe, type JsonObject } from '../io/json.js';
import type { TrainingConfigNames } from '../io/optimizer-state.js';
import { RateDropout } from '../layers/dropout.js';
import type { Callback, Logs, TrainingControl, TrainingParams } from '../model/callbacks/callback.js';
import { type CheckpointSave, ModelCheckpoint } from '../model/callbacks/model-checkpoint.js';
import { LayersModel } from '../model/layers-model.js';
import { Random } from '../random.js';
import { loadLayersModel } from './io/index.js';
import { saveArtifacts } from './io/save.js';
import {
  modelFolder,
  readTrainingState,
  STATE_JSON,
  type TrainingState,
  writeTrainingState,
} from './training-state.js';

export { readTrainingState, STATE_JSON, type TrainingState } from './training-state.js';

export interface TrainingCheckpointArgs {
  /** The checkpoint folder (created if missing). */
  readonly dir: string;
  /** fit's generator: pass the same object as fit's `random`; its state is saved with each checkpoint. */
  readonly random: Random;
  /** The loss and metrics the model was compiled with, by name (the trainingConfig needs them). */
  readonly compileArgs: TrainingConfigNames;
  /** When resuming: the state read back (`loadTrainingCheckpoint`); the history continues from it. */
  readonly resumeFrom?: TrainingState;
  /** The caller's JSON kept with each checkpoint (the CLI's options); called at each save. */
  readonly data?: () => JsonObject;
}

/**
 * Saves the whole training state after every epoch (a `modelCheckpoint` with the optimizer's state, plus state.json).
 * Put it last among fit's callbacks, so that what earlier callbacks add to an epoch's logs is saved in the history.
 */
export class TrainingCheckpoint implements Callback {
  readonly dir: string;
  private readonly random: Random;
  private readonly data: () => JsonObject;
  private readonly saver: ModelCheckpoint;
  private readonly history: Record<string, number[]>;
  private model: LayersModel | null = null;
  private epochs: number;
  private folder = '';
  /** Set once the loss or a weight is not finite: no later epoch is saved. */
  private diverged = false;

  constructor(args: TrainingCheckpointArgs) {
    if (typeof args.dir !== 'string' || args.dir === '')
      throw new ConfigError('trainingCheckpoint', `\`dir\` must be a folder path, received ${describe(args.dir)}`);
    if (!(args.random instanceof Random))
      throw new ConfigError('trainingCheckpoint', '`random` must be the Random passed to fit');
    this.dir = resolve(args.dir);
    this.random = args.random;
    this.data = args.data ?? (() => ({}));
    const from = args.resumeFrom;
    this.history = Object.fromEntries(Object.entries(from?.history ?? {}).map(([k, v]) => [k, [...v]]));
    this.epochs = from?.epochs ?? 0;
    this.saver = new ModelCheckpoint({
      filepath: { save: async (artifacts) => saveArtifacts(artifacts, join(this.dir, this.folder)) },
      includeOptimizer: args.compileArgs,
      onSave: async (save) => this.commit(save),
    });
  }

  setModel(model: TrainingControl): void {
    this.saver.setModel(model);
    if (model instanceof LayersModel) this.model = model;
  }

  setParams(params: TrainingParams): void {
    this.saver.setParams(params);
  }

  async onTrainBegin(): Promise<void> {
    this.diverged = false;
    await mkdir(this.dir, { recursive: true });
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (epoch !== this.epochs) {
      throw new StateError(
        'trainingCheckpoint',
        `epoch ${epoch} follows ${this.epochs} completed epochs; resume with initialEpoch = state.epochs`,
      );
    }
    // A diverged run (NaN loss or weights) cannot be saved, nor recover: keep the last good checkpoint from now on.
    if (this.diverged) return;
    if (!Number.isFinite(logs.loss ?? 0) || (this.model !== null && !finiteWeights(this.model))) {
      this.diverged = true;
      return;
    }
    for (const [name, value] of Object.entries(logs)) (this.history[name] ??= []).push(value);
    this.epochs = epoch + 1;
    this.folder = modelFolder(this.epochs);
    await this.saver.onEpochEnd(epoch, logs);
  }

  /** Runs once the epoch's model folder is complete: replaces state.json, then removes the older folders. */
  private async commit(_save: CheckpointSave): Promise<void> {
    await writeTrainingState(this.dir, {
      epochs: this.epochs,
      model: this.folder,
      history: this.history,
      random: this.random.getState(),
      layerRandom: this.model === null ? {} : layerRandomStates(this.model),
      data: this.data(),
    });
    const stale = (await readdir(this.dir)).filter((name) => /^epoch-\d+$/.test(name) && name !== this.folder);
    await Promise.all(stale.map((name) => rm(join(this.dir, name), { recursive: true, force: true })));
  }
}

export const trainingCheckpoint = (args: TrainingCheckpointArgs): TrainingCheckpoint => new TrainingCheckpoint(args);

/** The layers that draw from a generator of their own: dropout layers with a `seed`. */
function ownGenerators(
  model: LayersModel,
): { name: string; state: readonly number[]; restore: (state: readonly number[]) => void }[] {
  return model.layers.flatMap((layer) => {
    if (!(layer instanceof RateDropout)) return [];
    const state = layer.getRandomState();
    return state === null
      ? []
      : [{ name: layer.name, state, restore: (s: readonly number[]) => layer.setRandomState(s) }];
  });
}

/** Each own generator's state, by layer name (state.json's `layerRandom`). */
/** Whether every weight of the model is finite (a model with NaN weights is not saved). */
export function finiteWeights(model: LayersModel): boolean {
  return model.weights.every((w) => w.dataSync().every((v) => Number.isFinite(v)));
}

function layerRandomStates(model: LayersModel): Record<string, readonly number[]> {
  return Object.fromEntries(ownGenerators(model).map((g) => [g.name, g.state]));
}

/** Restores each own generator from state.json's `layerRandom`; every such layer needs a state, and only they. */
function restoreLayerRandom(model: LayersModel, saved: TrainingState['layerRandom'], where: string): void {
  const generators = ownGenerators(model);
  for (const name of Object.keys(saved)) {
    if (!generators.some((g) => g.name === name)) {
      throw new FormatError(
        where,
        `\`layerRandom.${name}\` names no layer of model '${model.name}' with its own generator (a dropout layer with a \`seed\`)`,
      );
    }
  }
  for (const { name, restore } of generators) {
    const state = Object.hasOwn(saved, name) ? saved[name] : undefined;
    if (state === undefined) {
      throw new FormatError(
        where,
        `\`layerRandom\` holds no state for layer '${name}', whose masks come from its own seeded generator; the checkpoint (written by an older cnnlab?) cannot be resumed exactly`,
      );
    }
    restore(state);
  }
}

/** Whether loading compiled the model (its file had a trainingConfig). */
function isCompiled(model: LayersModel): boolean {
  try {
    return model.optimizer.iterations >= 0;
  } catch {
    return false;
  }
}

/**
 * Loads the last checkpoint in `dir`: the model compiled with its optimizer's state and its layers' own generators
 * restored, the state (`stateRead` when the caller has read it already), and fit's generator as it was.
 * Resume with `fit(x, y, { initialEpoch: state.epochs, random, callbacks: [..., trainingCheckpoint({ dir, random,
 * resumeFrom: state, compileArgs })] })`.
 */
export async function loadTrainingCheckpoint(
  dir: string,
  stateRead?: TrainingState,
): Promise<{ model: LayersModel; state: TrainingState; random: Random }> {
  const state = stateRead ?? (await readTrainingState(dir));
  const modelPath = join(resolve(dir), state.model, 'model.json');
  const model = await loadLayersModel(modelPath);
  if (!isCompiled(model))
    throw new FormatError(
      modelPath,
      `the checkpoint holds no optimizer state (no trainingConfig); it cannot be resumed`,
    );
  restoreLayerRandom(model, state.layerRandom, join(resolve(dir), STATE_JSON));
  const random = new Random(0);
  random.setState(state.random);
  return { model, state, random };
}
