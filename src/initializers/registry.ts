/**
 * Initializers by name and from model files. Names follow tfjs (`glorotUniform`), Keras (`glorot_uniform`) or the
 * class name (`GlorotUniform`); serialized objects are tfjs's `{className, config}` (Keras's `class_name` and
 * snake_case keys are accepted too). Distribution 'normal' is read as tfjs means it (uncorrected truncated normal),
 * also in old Keras 2 files where it was an alias of the corrected 'truncated_normal'.
 */
import { constant, ones, randomNormal, randomUniform, truncatedNormal, zeros } from './basic.js';
import {
  type ConfigDict,
  lookupKey,
  optionalName,
  optionalNumber,
  readSerialized,
  type Serialized,
  type SerializedInput,
  unknownName,
} from '../serialization.js';
import type { Initializer, InitializerClassName, InitializerConfigs } from './types.js';
import {
  checkDistribution,
  checkFanMode,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  leCunNormal,
  leCunUniform,
  varianceScaling,
} from './variance-scaling.js';

/** What a layer option accepts: a name, an initializer, or a serialized initializer. */
export type InitializerIdentifier = string | Initializer | SerializedInput;

type Builder = (config: ConfigDict, where: string) => Initializer;

const seedOnly =
  (make: (args: { seed?: number }) => Initializer): Builder =>
  (config, where) =>
    make({ seed: optionalNumber(config, 'seed', where) });

/** tfjs's identifier (the name shown in errors) → how to build it from a camel-cased config. */
const BUILDERS: Readonly<Record<string, Builder>> = {
  zeros: () => zeros(),
  ones: () => ones(),
  constant: (config, where) => {
    const value = optionalNumber(config, 'value', where);
    if (value === undefined) throw new Error(`${where}: Constant needs a numeric \`value\` in its config`);
    return constant({ value });
  },
  randomUniform: (config, where) =>
    randomUniform({
      minval: optionalNumber(config, 'minval', where),
      maxval: optionalNumber(config, 'maxval', where),
      seed: optionalNumber(config, 'seed', where),
    }),
  randomNormal: (config, where) =>
    randomNormal({
      mean: optionalNumber(config, 'mean', where),
      stddev: optionalNumber(config, 'stddev', where),
      seed: optionalNumber(config, 'seed', where),
    }),
  truncatedNormal: (config, where) =>
    truncatedNormal({
      mean: optionalNumber(config, 'mean', where),
      stddev: optionalNumber(config, 'stddev', where),
      seed: optionalNumber(config, 'seed', where),
    }),
  varianceScaling: (config, where) => {
    // Model files may write Keras's spellings (fan_avg, truncated_normal); optionalName camel-cases them.
    const mode = optionalName(config, 'mode', where);
    const distribution = optionalName(config, 'distribution', where);
    return varianceScaling({
      scale: optionalNumber(config, 'scale', where),
      mode: mode === undefined ? undefined : checkFanMode(where, mode),
      distribution: distribution === undefined ? undefined : checkDistribution(where, distribution),
      seed: optionalNumber(config, 'seed', where),
    });
  },
  glorotUniform: seedOnly(glorotUniform),
  glorotNormal: seedOnly(glorotNormal),
  heUniform: seedOnly(heUniform),
  heNormal: seedOnly(heNormal),
  leCunUniform: seedOnly(leCunUniform),
  leCunNormal: seedOnly(leCunNormal),
};

const KNOWN = Object.keys(BUILDERS);
const BY_KEY = new Map(KNOWN.map((name) => [lookupKey(name), name]));

function build(name: string, config: ConfigDict, where: string): Initializer {
  const known = BY_KEY.get(lookupKey(name));
  const builder = known === undefined ? undefined : BUILDERS[known];
  if (builder === undefined) throw unknownName(where, 'initializer', name, KNOWN);
  return builder(config, `${where} '${name}'`);
}

/**
 * An initializer from a name (`'heNormal'`, `'he_normal'`, `'HeNormal'`: defaults), a serialized object
 * (`{className: 'VarianceScaling', config: {...}}`), or an initializer (returned as is).
 */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (typeof identifier === 'string') return build(identifier, {}, 'getInitializer');
  if ('apply' in identifier) return identifier;
  return deserializeInitializer(identifier);
}

/** Rebuilds an initializer from `{className, config}` (tfjs form) or `{class_name, config}` (Keras form). */
export function deserializeInitializer(serialized: SerializedInput): Initializer {
  const { className, config } = readSerialized(serialized, 'deserializeInitializer');
  return build(className, config, 'deserializeInitializer');
}

/** `{className, config}` as tfjs writes it: glorot, he and lecun initializers become 'VarianceScaling'. */
export function serializeInitializer<Name extends InitializerClassName>(
  initializer: Initializer<Name>,
): Serialized<Name, InitializerConfigs[Name]> {
  return { className: initializer.className, config: { ...initializer.getConfig() } };
}
