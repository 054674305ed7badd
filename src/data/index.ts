/** Datasets as plain typed arrays: file parsers (IDX, PNG, Fashion-MNIST JSON), splitting, batching, augmentation. */
export {
  type Batch,
  type BatchOptions,
  type Dataset,
  batches,
  classCounts,
  createDataset,
  datasetSize,
  isDataset,
  permutation,
  sampleSize,
  shuffled,
  splitValidation,
  stratifiedSplit,
  subset,
  take,
  withSamples,
} from './dataset.js';
export { type MeanStd, computeMeanStd, normalize } from './normalize.js';
export { type IdxArray, type MnistFromIdxOptions, mnistFromIdx, parseIdx } from './idx.js';
export { type Image, resizeBilinear, toChannels } from './image.js';
export { decodePng, MAX_PNG_FILE_BYTES, MAX_PNG_PIXELS, pngSize } from './png.js';
export { type AugmentOptions, augmentBatch, flipHorizontal, rotate, translate } from './augment.js';
export { type ByteRows, parseJsonByteRows } from './json-rows.js';
export { type ByteImages, FASHION_MNIST_CLASS_NAMES, datasetFromBytes, splitFashionMnist } from './fashion-mnist.js';
