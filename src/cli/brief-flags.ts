/**
 * The brief model's technique flags (`--activation`, `--batch-norm`, `--batch-norm-momentum`, `--dropout`, `--l2`,
 * `--kernel-size`, `--padding`, `--pooling`): `briefModel`'s options on the command line. They change only
 * `--model brief`, so with any other model they are refused rather than silently ignored.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { activations, type BriefModelOptions, regularizers } from '../index.js';
import { numberIn, oneOf, positiveInteger } from './options.js';

export const PADDINGS = ['valid', 'same'] as const;
export const POOLINGS = ['max', 'average', 'strided'] as const;

/** What the flags set, as a run's options store them; `l2` is the factor of an L2 penalty on every kernel. */
export interface BriefFlags {
  readonly activation?: activations.ActivationIdentifier;
  readonly batchNorm?: boolean;
  readonly batchNormMomentum?: number;
  readonly dropout?: number;
  readonly l2?: number;
  readonly kernelSize?: number;
  readonly padding?: (typeof PADDINGS)[number];
  readonly pooling?: (typeof POOLINGS)[number];
}

/** The flags' attribute names (commander's camelCase), in the order they are listed. */
const NAMES = [
  'activation',
  'batchNorm',
  'batchNormMomentum',
  'dropout',
  'l2',
  'kernelSize',
  'padding',
  'pooling',
] as const;

/** `relu`, or a Keras spelling such as `leaky_relu`; stored as the library's identifier (`leakyRelu`). */
function activation(value: string): activations.ActivationIdentifier {
  try {
    return activations.deserializeActivation(value);
  } catch {
    throw new InvalidArgumentError(
      `--activation must be one of ${activations.activationNames.join(', ')}, received '${value}'`,
    );
  }
}

/** Adds the flags to a command that builds a model (`--model`, or the summary's model argument). */
export function addBriefFlags(command: Command): Command {
  return command
    .option('--activation <name>', 'brief model: hidden activation (default relu)', activation)
    .option(
      '--batch-norm',
      'brief model: BatchNormalization after each conv and the hidden dense layer, before the activation',
    )
    .option(
      '--batch-norm-momentum <m>',
      "brief model, with --batch-norm: moving-statistics momentum (default: the library's, as in Keras)",
      numberIn('--batch-norm-momentum', 0, 1),
    )
    .option(
      '--dropout <rate>',
      'brief model: dropout rate before the classifier, 0 for none (default 0.5)',
      numberIn('--dropout', 0, 1),
    )
    .option(
      '--l2 <factor>',
      'brief model: L2 penalty factor on every conv and dense kernel (default none)',
      numberIn('--l2', 0, Infinity, true),
    )
    .option('--kernel-size <n>', 'brief model: conv kernel size (default 3)', positiveInteger('--kernel-size'))
    .option(
      '--padding <mode>',
      `brief model: conv padding, ${PADDINGS.join(' or ')} (default valid)`,
      oneOf('--padding', PADDINGS),
    )
    .option(
      '--pooling <kind>',
      `brief model: ${POOLINGS.join(', ')} (strided: stride-2 convs, no pooling layers; default max)`,
      oneOf('--pooling', POOLINGS),
    );
}

const flagName = (name: string): string => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * The flags given on the command line, or undefined when none was. Refuses them (exit status 2) for a model other
 * than `brief` (`modelArgument`: how the command names its model, as messages quote it), and `--batch-norm-momentum`
 * without `--batch-norm`.
 */
export function briefFlags(
  command: Command,
  options: Record<string, unknown>,
  model: string,
  modelArgument = '--model',
): BriefFlags | undefined {
  const given = NAMES.filter((name) => command.getOptionValueSource(name) === 'cli');
  if (given.length === 0) return undefined;
  if (model !== 'brief') {
    command.error(
      `error: ${given.map(flagName).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only to the brief model, received ${modelArgument} '${model}'`,
      { exitCode: 2 },
    );
  }
  if (given.includes('batchNormMomentum') && !given.includes('batchNorm')) {
    command.error(
      `error: --batch-norm-momentum sets the momentum of --batch-norm's layers: give --batch-norm too, received --batch-norm-momentum ${String(options.batchNormMomentum)} alone`,
      { exitCode: 2 },
    );
  }
  // The parsers above checked each value; these narrow them back to their types (absent flags stay undefined).
  const number = (name: string): number | undefined => {
    const value = options[name];
    return typeof value === 'number' ? value : undefined;
  };
  return {
    activation: activations.activationNames.find((a) => a === options.activation),
    batchNorm: options.batchNorm === true ? true : undefined,
    batchNormMomentum: number('batchNormMomentum'),
    dropout: number('dropout'),
    l2: number('l2'),
    kernelSize: number('kernelSize'),
    padding: PADDINGS.find((p) => p === options.padding),
    pooling: POOLINGS.find((p) => p === options.pooling),
  };
}

/** The `briefModel` options the flags stand for. */
export function briefModelOptions(flags: BriefFlags): BriefModelOptions {
  const { l2, ...rest } = flags;
  return l2 === undefined ? rest : { ...rest, kernelRegularizer: regularizers.l2({ l2 }) };
}
