/**
 * cnnlab for Node: everything in the core, plus what needs the file system or a terminal — dataset loaders
 * (MNIST, Fashion-MNIST, PNG folders), model files on disk ('file://' URLs), atomic file writes, the progress bar, the CSV
 * file logger and training checkpoints.
 * Importing it sets the wasm backend up as the CLI does: kernels on worker threads, as many as the cores available
 * (`setThreads(n)` chooses otherwise), and WebAssembly relaxed SIMD turned on where Node has it behind a flag.
 */
import { enableRelaxedSimd } from './relaxed-simd.js';
import { useNodeThreads } from './threads.js';

export * from '../index.js';
export {
  type FashionMnistOptions,
  type ImageFolderOptions,
  type MnistOptions,
  loadFashionMnist,
  loadImageFolder,
  loadMnist,
} from './data/index.js';
// saveModel and loadLayersModel are the core's; importing node/io registers file:// URLs and plain paths for them.
export { fileSystem, FileSystemHandler } from './io/index.js';
export { makeFolder, removeLeftovers, writeFileAtomic } from './io/atomic.js';
export { readRegularFile, readRegularText } from './io/regular-file.js';
export {
  formatBar,
  formatClock,
  progressBar,
  ProgressBar,
  type ProgressBarArgs,
  type ProgressStream,
} from './progress.js';
export { csvFileLogger, CsvFileLogger, type CsvFileLoggerArgs } from './csv-file-logger.js';
export {
  finiteWeights,
  trainingCheckpoint,
  TrainingCheckpoint,
  loadTrainingCheckpoint,
  readTrainingState,
  STATE_JSON,
  type TrainingState,
} from './checkpoint.js';
export { enableRelaxedSimd, useNodeThreads };

useNodeThreads();
enableRelaxedSimd();
