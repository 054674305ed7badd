/**
 * The `cnnlab` command line (bin.ts runs it): argument parsing (commander) and calls into the library. No math lives
 * here.
 * A bad flag or value prints one line and exits with status 2; a failure while running prints one line and exits 1.
 * Set CNNLAB_DEBUG=1 to see stack traces.
 */
import { Command, CommanderError, Option } from 'commander';
import { enableRelaxedSimd, engine, errorMessage, setThreads, useNodeThreads } from '../node/index.js';
import { addBriefFlags, briefFlags } from './brief-flags.js';
import { evaluateCommand } from './evaluate.js';
import { addLabCommand } from './lab.js';
import { BUILT_IN_MODEL_NAMES } from './models.js';
import {
  augmentation,
  augmentOption,
  DEFAULT_AUGMENT,
  imageSize,
  nonNegativeInteger,
  numberIn,
  oneOf,
  positiveInteger,
  stringOption,
} from './options.js';
import { predictCommand } from './predict.js';
import { summaryCommand } from './summary.js';
import { type ResumeOverrides, resumeTraining, train } from './train.js';

/** Where the CLI writes: standard output for results, standard error for progress and errors. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processOutput: CliOutput = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
};

/** Options every data-reading command shares. */
function dataOptions(command: Command): Command {
  return command
    .option('--dataset <name|dir>', 'mnist, fashion-mnist, or a folder with one sub-folder of PNGs per class', 'mnist')
    .option('--image-size <HxW>', 'image size for a folder dataset', imageSize('--image-size'))
    .addOption(
      new Option('--channels <n>', 'channels for a folder dataset (1 gray, 3 RGB)').choices(['1', '3']).default('1'),
    )
    .option('--resize', 'resize folder images of another size instead of rejecting them', false)
    .addOption(new Option('--backend <name>', 'kernel backend').choices(engine.backendNames()))
    .option(
      '--threads <n>',
      'threads for the wasm backend (default: the cores available)',
      positiveInteger('--threads'),
    );
}

/** Options `--resume` accepts: the rest come from the checkpoint. */
const RESUME_FLAGS: readonly string[] = ['resume', 'epochs', 'quiet', 'backend', 'threads'];

/** With `--resume` the options come from the checkpoint: only those that change no result may be given too. */
function resumeOverrides(command: Command, options: Record<string, unknown>): ResumeOverrides {
  const explicit = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
  const given = command.options
    .map((o) => o.attributeName())
    .filter((name) => explicit(name) && !RESUME_FLAGS.includes(name));
  if (given.length > 0) {
    const flags = given.map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
    command.error(
      `error: --resume takes the run's options from its checkpoint; only --epochs, --quiet, --backend and --threads may be given with it, received ${flags}`,
      { exitCode: 2 },
    );
  }
  return {
    epochs: explicit('epochs') ? Number(options.epochs) : undefined,
    quiet: explicit('quiet') ? options.quiet === true : undefined,
    backend: stringOption(options.backend),
  };
}

function program(output: CliOutput): Command {
  const print = (line: string): void => output.out(`${line}\n`);
  const cli = new Command('cnnlab')
    .description('Train convolutional neural networks, fast, wherever JavaScript runs.')
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .exitOverride()
    // The wasm backend's threads are set before any command runs (and so before the backend starts).
    .hook('preAction', (_, action) => {
      const threads: unknown = action.opts().threads;
      setThreads(typeof threads === 'number' ? threads : null);
    });

  addBriefFlags(
    dataOptions(
      cli.command('train').description('train a model, evaluate it on the test split and save the run'),
    ).option(
      '--model <name|file>',
      `${BUILT_IN_MODEL_NAMES.join(', ')}, a model.json (architecture only), or a Sequential config JSON file`,
      'brief',
    ),
  )
    .option('--epochs <n>', 'epochs', positiveInteger('--epochs'), 5)
    .option('--batch-size <n>', 'examples per batch', positiveInteger('--batch-size'), 64)
    .option('--optimizer <name>', 'sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam', 'adam')
    .option(
      '--learning-rate <x>',
      "learning rate (default: the optimizer's)",
      numberIn('--learning-rate', 0, Infinity, true),
    )
    .option('--seed <n>', 'seed for weights, shuffling and dropout', nonNegativeInteger('--seed'), 0)
    .option(
      '--validation-split <f>',
      'fraction of training examples held out for validation',
      numberIn('--validation-split', 0, 1),
      0,
    )
    .option('--limit <n>', 'train on the first n training examples only', positiveInteger('--limit'))
    .option('--test-limit <n>', 'evaluate on the first n test examples only', positiveInteger('--test-limit'))
    .option('--out <dir>', 'folder for run folders', 'runs')
    .option('--run-name <name>', 'name of the run folder (default: model, dataset and time)')
    .option('--overwrite', 'replace the files of an existing --run-name run', false)
    .option('--quiet', 'print only the final result', false)
    .addOption(
      new Option(
        '--augment [spec]',
        `augment training images: shift=<pixels>,rotation=<degrees>,flip (alone: ${DEFAULT_AUGMENT})`,
      )
        .preset(DEFAULT_AUGMENT)
        .argParser(augmentation('--augment')),
    )
    .option('--checkpoint', 'save the training state into <run>/checkpoint/ after every epoch', false)
    .option(
      '--resume <run-dir>',
      'continue a --checkpoint run from its last checkpoint (only --epochs, --quiet, --backend and --threads may be given too)',
    )
    .action(async (options: Record<string, unknown>, command: Command) => {
      if (typeof options.resume === 'string') {
        await resumeTraining(options.resume, resumeOverrides(command, options), print);
        return;
      }
      const modelOptions = briefFlags(command, options, String(options.model));
      await train(
        {
          model: String(options.model),
          modelOptions,
          dataset: String(options.dataset),
          epochs: Number(options.epochs),
          batchSize: Number(options.batchSize),
          optimizer: String(options.optimizer),
          learningRate: options.learningRate === undefined ? undefined : Number(options.learningRate),
          seed: Number(options.seed),
          validationSplit: Number(options.validationSplit),
          out: String(options.out),
          runName: stringOption(options.runName),
          overwrite: options.overwrite === true,
          limit: options.limit === undefined ? undefined : Number(options.limit),
          testLimit: options.testLimit === undefined ? undefined : Number(options.testLimit),
          backend: stringOption(options.backend),
          quiet: options.quiet === true,
          imageSize: Array.isArray(options.imageSize)
            ? [Number(options.imageSize[0]), Number(options.imageSize[1])]
            : undefined,
          channels: oneOf('--channels', ['1', '3'] as const)(String(options.channels)) === '3' ? 3 : 1,
          resize: options.resize === true,
          checkpoint: options.checkpoint === true,
          augment: augmentOption(options.augment),
        },
        print,
      );
    });

  dataOptions(cli.command('evaluate').description("evaluate a saved model on a dataset's test split"))
    .argument('<model>', 'a run folder or a model.json')
    .option('--test-limit <n>', 'evaluate on the first n test examples only', positiveInteger('--test-limit'))
    .option('--batch-size <n>', 'examples per batch', positiveInteger('--batch-size'), 256)
    .action(async (model: string, options: Record<string, unknown>) => {
      await evaluateCommand(
        model,
        {
          dataset: String(options.dataset),
          batchSize: Number(options.batchSize),
          testLimit: options.testLimit === undefined ? undefined : Number(options.testLimit),
          backend: stringOption(options.backend),
          imageSize: Array.isArray(options.imageSize)
            ? [Number(options.imageSize[0]), Number(options.imageSize[1])]
            : undefined,
          channels: String(options.channels) === '3' ? 3 : 1,
          resize: options.resize === true,
        },
        print,
      );
    });

  cli
    .command('predict')
    .description('classify PNG images with a saved model')
    .argument('<model>', 'a run folder or a model.json')
    .argument('<images...>', 'PNG files')
    .option('--top <k>', 'classes to show per image', positiveInteger('--top'), 3)
    .option(
      '--max-params <n>',
      'refuse models of more parameters (default 100,000,000)',
      positiveInteger('--max-params'),
    )
    .action(async (model: string, images: string[], options: Record<string, unknown>) => {
      const limits = options.maxParams === undefined ? {} : { maxParams: Number(options.maxParams) };
      await predictCommand(model, images, Number(options.top), print, limits);
    });

  addBriefFlags(
    cli
      .command('summary')
      .description("print a model's layers, output shapes and parameter counts")
      .argument('[model]', `${BUILT_IN_MODEL_NAMES.join(', ')}, a run folder or a model.json`, 'brief'),
  ).action(async (model: string, options: Record<string, unknown>, command: Command) => {
    await summaryCommand(model, briefFlags(command, options, model, 'model'), print);
  });

  addLabCommand(cli, print);
  return cli;
}

/** Runs one command line; resolves to the exit status (0 ok, 1 failed, 2 bad usage). */
export async function runCli(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  useNodeThreads();
  enableRelaxedSimd();
  const cli = program(output);
  // Subcommands inherit the output and exit behaviour.
  for (const command of cli.commands)
    command.configureOutput({ writeOut: output.out, writeErr: output.err }).exitOverride();
  try {
    await cli.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its own one-line message (or the help text, for --help and --version).
      return error.exitCode === 0 ? 0 : 2;
    }
    output.err(`cnnlab: ${errorMessage(error)}\n`);
    if (process.env.CNNLAB_DEBUG === '1' && error instanceof Error) output.err(`${error.stack ?? ''}\n`);
    return 1;
  }
}
