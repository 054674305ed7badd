/** Weight initializers, mirroring TensorFlow.js's `tf.initializers` names, options and serialization. */
export {
  constant,
  ones,
  randomNormal,
  randomUniform,
  truncatedNormal,
  zeros,
  type ConstantArgs,
  type RandomNormalArgs,
  type RandomUniformArgs,
} from './basic.js';
export {
  computeFans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  leCunNormal,
  leCunUniform,
  varianceScaling,
  type VarianceScalingArgs,
} from './variance-scaling.js';
export {
  deserializeInitializer,
  getInitializer,
  serializeInitializer,
  type InitializerIdentifier,
} from './registry.js';
export {
  type ConstantConfig,
  type Distribution,
  type EmptyConfig,
  type FanMode,
  type Initializer,
  type InitializerClassName,
  type InitializerConfigs,
  type InitializerSerialization,
  type RandomNormalConfig,
  type RandomUniformConfig,
  type SeedArgs,
  type VarianceScalingConfig,
} from './types.js';
export type { ConfigDict, ConfigValue, Serialized, SerializedInput } from '../serialization.js';
