/**
 * Layers by Keras class name, for model files and configs: `serializeLayer` gives `{className, config}` and
 * `deserializeLayer` rebuilds the layer. An unknown class name is an error that lists the known ones.
 */
import { Activation } from './activation.js';
import { BatchNormalization } from './batch-normalization.js';
import { Conv2D } from './conv2d.js';
import { Dropout, SpatialDropout2D } from './dropout.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { AveragePooling2D, MaxPooling2D } from './pooling2d.js';
import { Dense } from './dense.js';
import { Flatten } from './flatten.js';
import { InputLayer } from './input.js';
import type { Layer } from './layer.js';
import { Reshape } from './reshape.js';
import { ZeroPadding2D } from './zero-padding2d.js';

/** Each class name and the config its fromConfig takes. */
interface LayerConfigs {
  Activation: ReturnType<Activation['getConfig']>;
  Dense: ReturnType<Dense['getConfig']>;
  Flatten: ReturnType<Flatten['getConfig']>;
  InputLayer: ReturnType<InputLayer['getConfig']>;
  Reshape: ReturnType<Reshape['getConfig']>;
  ZeroPadding2D: ReturnType<ZeroPadding2D['getConfig']>;
  Conv2D: ReturnType<Conv2D['getConfig']>;
  MaxPooling2D: ReturnType<MaxPooling2D['getConfig']>;
  AveragePooling2D: ReturnType<AveragePooling2D['getConfig']>;
  GlobalAveragePooling2D: ReturnType<GlobalAveragePooling2D['getConfig']>;
  GlobalMaxPooling2D: ReturnType<GlobalMaxPooling2D['getConfig']>;
  BatchNormalization: ReturnType<BatchNormalization['getConfig']>;
  Dropout: ReturnType<Dropout['getConfig']>;
  SpatialDropout2D: ReturnType<SpatialDropout2D['getConfig']>;
}

export type LayerClassName = keyof LayerConfigs;

/** A layer as a config file holds it. */
export type SerializedLayer = { [K in LayerClassName]: { readonly className: K; readonly config: LayerConfigs[K] } }[LayerClassName];

const FROM_CONFIG: { readonly [K in LayerClassName]: (config: LayerConfigs[K]) => Layer } = {
  Activation: Activation.fromConfig,
  Dense: Dense.fromConfig,
  Flatten: Flatten.fromConfig,
  InputLayer: InputLayer.fromConfig,
  Reshape: Reshape.fromConfig,
  ZeroPadding2D: ZeroPadding2D.fromConfig,
  Conv2D: Conv2D.fromConfig,
  MaxPooling2D: MaxPooling2D.fromConfig,
  AveragePooling2D: AveragePooling2D.fromConfig,
  GlobalAveragePooling2D: GlobalAveragePooling2D.fromConfig,
  GlobalMaxPooling2D: GlobalMaxPooling2D.fromConfig,
  BatchNormalization: BatchNormalization.fromConfig,
  Dropout: Dropout.fromConfig,
  SpatialDropout2D: SpatialDropout2D.fromConfig,
};

export const layerClassNames: readonly LayerClassName[] = Object.freeze(Object.keys(FROM_CONFIG).filter(isLayerClassName));

export function isLayerClassName(name: string): name is LayerClassName {
  return Object.hasOwn(FROM_CONFIG, name);
}

/** Throws `Unknown layer class 'X'; known layers: …` unless the name is registered. */
export function checkLayerClassName(name: string): LayerClassName {
  if (!isLayerClassName(name)) throw new Error(`Unknown layer class '${name}'; known layers: ${Object.keys(FROM_CONFIG).join(', ')}`);
  return name;
}

function build<K extends LayerClassName>(serialized: { readonly className: K; readonly config: LayerConfigs[K] }): Layer {
  const fromConfig: (config: LayerConfigs[K]) => Layer = FROM_CONFIG[serialized.className];
  return fromConfig(serialized.config);
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
