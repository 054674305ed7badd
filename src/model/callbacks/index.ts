/** Training callbacks and their factories (Keras / TensorFlow.js names). */
import type { Callback, Logs, TrainingControl, TrainingParams } from './callback.js';
import { CsvLogger, type CsvLoggerArgs } from './csv-logger.js';
import { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
import { LearningRateScheduler, type Schedule } from './learning-rate-scheduler.js';
import { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN, type TerminateOnNaNArgs } from './terminate-on-nan.js';

export type { Callback, Logs, TrainingControl, TrainingParams } from './callback.js';
export { CallbackList } from './callback.js';
export { CsvLogger, type CsvLoggerArgs } from './csv-logger.js';
export { EarlyStopping, type EarlyStoppingArgs, type MonitorMode } from './early-stopping.js';
export { LearningRateScheduler, type Schedule } from './learning-rate-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointArgs, type CheckpointSave } from './model-checkpoint.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
export { TerminateOnNaN, type TerminateOnNaNArgs, type Termination } from './terminate-on-nan.js';

export const earlyStopping = (args: EarlyStoppingArgs = {}): EarlyStopping => new EarlyStopping(args);
export const reduceLROnPlateau = (args: ReduceLROnPlateauArgs = {}): ReduceLROnPlateau => new ReduceLROnPlateau(args);
export const learningRateScheduler = (schedule: Schedule, verbose: 0 | 1 = 0): LearningRateScheduler =>
  new LearningRateScheduler(schedule, verbose);
export const terminateOnNaN = (args: TerminateOnNaNArgs = {}): TerminateOnNaN => new TerminateOnNaN(args);
export const csvLogger = (args: CsvLoggerArgs): CsvLogger => new CsvLogger(args);
export const modelCheckpoint = (args: ModelCheckpointArgs): ModelCheckpoint => new ModelCheckpoint(args);

/** The hooks a custom callback may give (as tfjs's CustomCallback); each may be async. */
export interface CustomCallbackArgs {
  readonly onTrainBegin?: (logs: Logs) => void | Promise<void>;
  readonly onTrainEnd?: (logs: Logs) => void | Promise<void>;
  readonly onEpochBegin?: (epoch: number, logs: Logs) => void | Promise<void>;
  readonly onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  readonly onBatchBegin?: (batch: number, logs: Logs) => void | Promise<void>;
  readonly onBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
  readonly setParams?: (params: TrainingParams) => void;
  readonly setModel?: (model: TrainingControl) => void;
}

const hookNames = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onBatchBegin',
  'onBatchEnd',
  'setParams',
  'setModel',
] as const;

/** A callback from plain hook functions: `customCallback({ onEpochEnd: (epoch, logs) => … })`. */
export function customCallback(hooks: CustomCallbackArgs): Callback {
  const known: readonly string[] = hookNames;
  for (const [name, hook] of Object.entries(hooks)) {
    if (!known.includes(name))
      throw new Error(`customCallback: unknown hook '${name}'; known hooks: ${hookNames.join(', ')}`);
    if (hook !== undefined && typeof hook !== 'function')
      throw new Error(`customCallback: \`${name}\` must be a function, received ${typeof hook}`);
  }
  return { ...hooks };
}
