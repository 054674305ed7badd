/**
 * A residual network with the functional API: two residual blocks (the second with a 1×1 projection shortcut),
 * trained briefly on Fashion-MNIST, then saved and loaded back.
 * Run: `npx tsc -p examples && node node_modules/.cache/cnnlab-examples/examples/residual.js`
 */
import { data, input, layers, model, type SymbolicTensor } from '../src/index.js';
import { loadFashionMnist, loadLayersModel } from '../src/node/index.js';

/**
 * conv → BN → relu → conv → BN, plus the shortcut (projected when the shape changes), then relu. BN's momentum is 0.9
 * rather than Keras' 0.99: this run has only 79 steps, and 0.99's moving statistics would still lag far behind.
 */
function residualBlock(x: SymbolicTensor, filters: number, strides: number): SymbolicTensor {
  let y = layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x);
  y = layers.reLU().apply(layers.batchNormalization({ momentum: 0.9 }).apply(y));
  y = layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(y);
  y = layers.batchNormalization({ momentum: 0.9 }).apply(y);
  const projected = strides !== 1 || x.shape[3] !== filters;
  const shortcut = projected
    ? layers
        .batchNormalization({ momentum: 0.9 })
        .apply(layers.conv2d({ filters, kernelSize: 1, strides, useBias: false }).apply(x))
    : x;
  return layers.reLU().apply(layers.add().apply([y, shortcut]));
}

const inputs = input({ shape: [28, 28, 1] });
let h = layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inputs);
h = residualBlock(h, 16, 1);
h = residualBlock(h, 32, 2);
const outputs = layers.dense({ units: 10, activation: 'softmax' }).apply(layers.globalAveragePooling2d().apply(h));
const net = model({ inputs, outputs, name: 'small_resnet' });
net.summary(); // Keras' table with the "Connected to" column

net.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const train = data.take(await loadFashionMnist({ split: 'train' }), 5_000);
await net.fit(train, { epochs: 1, batchSize: 64 });
console.log(net.evaluate(data.take(await loadFashionMnist({ split: 'test' }), 1_000)));

await net.save('runs/small-resnet'); // the TensorFlow.js layers-model format: tf.loadLayersModel reads it too
const again = await loadLayersModel('runs/small-resnet/model.json');
console.log(again.layers.length, 'layers loaded');
