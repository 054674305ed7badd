/**
 * The built-in experiment groups: each answers one of the brief's questions by changing one thing of the baseline
 * (the brief's model — 3×3 valid convolutions, max pooling, ReLU, dropout 0.5, no kernel penalty — trained with Adam
 * at 0.001). The first variant of each group is the baseline itself, so every group is compared against the same run.
 */
import type { GroupSpec } from './spec.js';

export const BUILT_IN_GROUPS: readonly GroupSpec[] = [
  {
    name: 'regularization',
    title: 'Weight regularization',
    question: 'Which kernel penalty helps: none, L2, L1 or both?',
    focus: ['generalizationGap'],
    variants: [
      { name: 'none', label: 'none (baseline)', model: {} },
      { name: 'l2-1e-4', label: 'L2 1e-4', model: { kernelRegularizer: { l2: 1e-4 } } },
      { name: 'l2-1e-3', label: 'L2 1e-3', model: { kernelRegularizer: { l2: 1e-3 } } },
      { name: 'l1-1e-5', label: 'L1 1e-5', model: { kernelRegularizer: { l1: 1e-5 } } },
      { name: 'l1-1e-4', label: 'L1 1e-4', model: { kernelRegularizer: { l1: 1e-4 } } },
      { name: 'l1l2', label: 'L1 1e-5 + L2 1e-4', model: { kernelRegularizer: { l1: 1e-5, l2: 1e-4 } } },
    ],
  },
  {
    name: 'activation',
    title: 'Activation function',
    question: 'Which hidden activation trains best?',
    focus: ['epochsToTarget'],
    variants: [
      { name: 'relu', label: 'relu (baseline)', model: {} },
      { name: 'sigmoid', label: 'sigmoid', model: { activation: 'sigmoid' } },
      { name: 'tanh', label: 'tanh', model: { activation: 'tanh' } },
      { name: 'elu', label: 'elu', model: { activation: 'elu' } },
      { name: 'gelu', label: 'gelu', model: { activation: 'gelu' } },
    ],
  },
  {
    name: 'pooling',
    title: 'Pooling',
    question: 'Max pooling, average pooling, or stride-2 convolutions instead of pooling?',
    focus: ['secondsPerEpoch'],
    variants: [
      { name: 'max', label: 'max (baseline)', model: {} },
      { name: 'average', label: 'average', model: { pooling: 'average' } },
      { name: 'strided', label: 'stride-2 conv, no pooling', model: { pooling: 'strided' } },
    ],
  },
  {
    // 5×5 kernels with `valid` padding shrink the 28×28 input to nothing before the third convolution, so the kernel
    // sizes are compared with `same` padding.
    name: 'convolution',
    title: 'Convolution parameters',
    question: 'Do 5×5 kernels, `same` padding or stride 2 beat 3×3 `valid` convolutions?',
    focus: ['secondsPerEpoch'],
    variants: [
      { name: '3x3-valid', label: '3×3 valid (baseline)', model: {} },
      { name: '3x3-same', label: '3×3 same', model: { padding: 'same' } },
      { name: '5x5-same', label: '5×5 same', model: { kernelSize: 5, padding: 'same' } },
      { name: 'stride-2', label: '3×3 stride 2, no pooling', model: { pooling: 'strided' } },
    ],
  },
  {
    name: 'batchnorm',
    title: 'Batch normalization',
    question: 'Does batch normalization speed training up, and does it allow a higher learning rate?',
    focus: ['epochsToTarget', 'secondsPerEpoch'],
    variants: [
      { name: 'without', label: 'without (baseline)', model: {} },
      { name: 'with', label: 'with batch norm', model: { batchNorm: true } },
      // Keras' momentum 0.99 averages the statistics over ~100 steps, a third of a 5-epoch run on 4,000 images: the
      // inference-time statistics then lag the weights. 0.9 averages over ~10.
      {
        name: 'with-momentum-0.9',
        label: 'with batch norm, momentum 0.9',
        model: { batchNorm: true, batchNormMomentum: 0.9 },
      },
      {
        name: 'with-10x-lr',
        label: 'with batch norm, 10× learning rate',
        model: { batchNorm: true },
        optimizer: { name: 'adam', options: { learningRate: 0.01 } },
      },
    ],
  },
  {
    name: 'dropout',
    title: 'Dropout',
    question: 'Does dropout reduce over-fitting?',
    focus: ['generalizationGap'],
    variants: [
      { name: '0.5', label: 'dropout 0.5 (baseline)', model: {} },
      { name: '0', label: 'no dropout', model: { dropout: 0 } },
      { name: '0.25', label: 'dropout 0.25', model: { dropout: 0.25 } },
      { name: '0.5-spatial', label: 'dropout 0.5 + spatial 0.25', model: { spatialDropout: 0.25 } },
    ],
  },
  {
    name: 'optimizer',
    title: 'Optimizer',
    question: 'Which optimizer trains this model best and fastest?',
    focus: ['epochsToTarget'],
    variants: [
      { name: 'adam', label: 'adam (baseline)', model: {} },
      { name: 'sgd', label: 'sgd 0.01', model: {}, optimizer: { name: 'sgd' } },
      {
        name: 'momentum',
        label: 'sgd 0.01 + momentum 0.9',
        model: {},
        optimizer: { name: 'sgd', options: { momentum: 0.9 } },
      },
      { name: 'rmsprop', label: 'rmsprop', model: {}, optimizer: { name: 'rmsprop' } },
      { name: 'adamw', label: 'adamw', model: {}, optimizer: { name: 'adamw' } },
    ],
  },
  {
    // He et al. saw plain networks get worse from 20 to 56 layers where residual ones got better. With 4,000 images
    // and 5 epochs, ResNet-20 is the deepest net the lab's budget trains (at half the paper's width); 8 layers is the
    // shallow plain reference. Batch-norm momentum 0.9: the batchnorm group showed Keras' 0.99 lags in 315 steps.
    name: 'skip',
    title: 'Skip connections',
    question: 'Does a deeper plain CNN train worse, and do residual connections fix it?',
    focus: ['epochsToTarget', 'secondsPerEpoch'],
    variants: [
      {
        name: 'plain-8',
        label: 'plain, 8 layers',
        model: { architecture: 'resnet', depth: 8, width: 8, residual: false, batchNormMomentum: 0.9 },
      },
      {
        name: 'plain-20',
        label: 'plain, 20 layers',
        model: { architecture: 'resnet', depth: 20, width: 8, residual: false, batchNormMomentum: 0.9 },
      },
      {
        name: 'resnet-20',
        label: 'residual, 20 layers',
        model: { architecture: 'resnet', depth: 20, width: 8, residual: true, batchNormMomentum: 0.9 },
      },
    ],
  },
  {
    name: 'separable',
    title: 'Depthwise-separable convolutions',
    question:
      'What do depthwise-separable convolutions save in parameters and time, and what do they cost in accuracy?',
    focus: ['secondsPerEpoch'],
    variants: [
      { name: 'full', label: 'full convolutions (baseline)', model: {} },
      { name: 'separable', label: 'separable 2nd and 3rd convolutions', model: { separable: true } },
    ],
  },
];
