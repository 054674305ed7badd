/**
 * The brief's Keras program in TypeScript, as the README shows it: the CNN, Adam, sparse categorical cross-entropy,
 * 5 epochs of batch 64 on real MNIST, then the test accuracy. (`npm start` runs the same model through the CLI.)
 *
 *   npx tsc -p examples && node node_modules/.cache/cnnlab-examples/examples/brief.js
 */
import { layers, sequential } from '../src/index.js';
import { loadMnist } from '../src/node/index.js';

const model = sequential({
  layers: [
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.flatten(),
    layers.dense({ units: 64, activation: 'relu' }),
    layers.dropout({ rate: 0.5 }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

const train = await loadMnist({ split: 'train' }); // x: [60000, 28, 28, 1] in [0, 1], y: the digits
await model.fit(train, { epochs: 5, batchSize: 64 }); // or fit(xTensor, yTensor, args), as in TensorFlow.js
const test = await loadMnist({ split: 'test' });
console.log(model.evaluate(test)); // { loss, accuracy }
