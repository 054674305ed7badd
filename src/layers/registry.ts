/**
 * Layers by Keras class name, for model files and configs: `serializeLayer` gives `{className, config}` and
 * `deserializeLayer` rebuilds the layer. An unknown class name is an error that lists the known ones.
 * Registering a layer is adding its class below: names and config types follow from the classes.
 */
import { ConfigError, quote } from '../errors.js';
import { Activation } from './activation.js';
import { BatchNormalization } from './batch-normalization.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { Dropout, SpatialDropout2D } from './dropout.js';
import { Flatten } from './flatten.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { InputLayer } from './input.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import type { Layer } from './layer.js';
import { AveragePooling2D, MaxPooling2D } from './pooling2d.js';
import { Reshape } from './reshape.js';
import { ZeroPadding2D } from './zero-padding2d.js';
import { ELU, LeakyReLU, ReLU, Softmax } from './advanced-activations.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Cropping2D } from './cropping2d.js';
import { DepthwiseConv2D, SeparableConv2D } from './depthwise-conv2d.js';
import { LayerNormalization } from './layer-normalization.js';
import { PReLU } from './prelu.js';
import { Rescaling } from './rescaling.js';
import { UpSampling2D } from './upsampling2d.js';

/** The registered classes, keyed by their own `className` (the `satisfies` check keeps key and class in step). */
const LAYERS = {
  Activation,
  Dense,
  Flatten,
  InputLayer,
  Reshape,
  ZeroPadding2D,
  Conv2D,
  MaxPooling2D,
  AveragePooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  BatchNormalization,
  Dropout,
  SpatialDropout2D,
  DepthwiseConv2D,
  SeparableConv2D,
  Conv2DTranspose,
  UpSampling2D,
  Cropping2D,
  LayerNormalization,
  ReLU,
  LeakyReLU,
  ELU,
  PReLU,
  Softmax,
  Rescaling,
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Concatenate,
} satisfies { readonly [K in string]: { readonly className: K } };

type Registry = typeof LAYERS;
export type LayerClassName = keyof Registry;

/** The config a class's `getConfig()` writes and its constructor takes. */
type ConfigOf<K extends LayerClassName> = ReturnType<InstanceType<Registry[K]>['getConfig']>;

/** A layer as a config file holds it. */
export type SerializedLayer = {
  [K in LayerClassName]: { readonly className: K; readonly config: ConfigOf<K> };
}[LayerClassName];

export const layerClassNames: readonly LayerClassName[] = Object.freeze(Object.keys(LAYERS).filter(isLayerClassName));

export function isLayerClassName(name: string): name is LayerClassName {
  return Object.hasOwn(LAYERS, name);
}

/** Throws `Unknown layer class 'X'; known layers: …` unless the name is registered. */
export function checkLayerClassName(name: string): LayerClassName {
  if (!isLayerClassName(name))
    throw new ConfigError(
      undefined,
      `Unknown layer class ${quote(name)}; known layers: ${Object.keys(LAYERS).join(', ')}`,
    );
  return name;
}

/** The registered class of a name, for class-level rules such as `fromKerasConfig`. */
export function layerClass(name: LayerClassName): Registry[LayerClassName] {
  return LAYERS[name];
}

/** The same classes, seen as constructors from their own configs (checked here, class by class). */
const CONSTRUCTORS: { readonly [K in LayerClassName]: new (config: ConfigOf<K>) => Layer } = LAYERS;

function build<K extends LayerClassName>(serialized: { readonly className: K; readonly config: ConfigOf<K> }): Layer {
  const cls = CONSTRUCTORS[serialized.className];
  return new cls(serialized.config);
}

export function deserializeLayer(serialized: SerializedLayer): Layer {
  checkLayerClassName(serialized.className);
  return build(serialized);
}

export function serializeLayer(layer: Layer): SerializedLayer {
  const className = checkLayerClassName(layer.className);
  // The config's type follows from the class name; each registered class returns its own config type.
  return { className, config: layer.getConfig() } as SerializedLayer;
}
