/**
 * `cnnlab lab`: the technique lab — controlled experiments that answer the brief's questions (which activation,
 * regularization, pooling, convolution parameters; does batch norm speed training; does dropout reduce over-fitting;
 * which optimizer; do skip connections help a deeper network; what do separable convolutions save), with
 * results.json, CSVs and a self-contained report.html. Progress goes to standard error; the verdicts and the report's
 * path to standard output.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { ConfigError, engine } from '../index.js';
import { LAB_DATASETS, type LabDataset, labGroups, runLab } from '../node/lab/index.js';
import { positiveInteger, stringOption } from './options.js';

function datasetList(value: string): LabDataset[] {
  return value.split(',').map((name) => {
    const found = LAB_DATASETS.find((d) => d === name.trim());
    if (found === undefined)
      throw new InvalidArgumentError(
        `--dataset must be ${LAB_DATASETS.join(', ')} or both comma-separated, received '${value}'`,
      );
    return found;
  });
}

/** `0.9` (every dataset) or `mnist=0.98,fashion-mnist=0.88`. */
function targetList(value: string): Partial<Record<LabDataset, number>> {
  const fail = (): never => {
    throw new InvalidArgumentError(
      `--target must be an accuracy in (0, 1] or dataset=accuracy pairs like mnist=0.98,fashion-mnist=0.88, received '${value}'`,
    );
  };
  const parse = (text: string): number => {
    const n = Number(text);
    return text.trim() !== '' && n > 0 && n <= 1 ? n : fail();
  };
  if (!value.includes('=')) {
    const all = parse(value);
    return Object.fromEntries(LAB_DATASETS.map((d) => [d, all]));
  }
  const targets: Partial<Record<LabDataset, number>> = {};
  for (const pair of value.split(',')) {
    const [name = '', accuracy = ''] = pair.split('=');
    const dataset = LAB_DATASETS.find((d) => d === name.trim()) ?? fail();
    targets[dataset] = parse(accuracy);
  }
  return targets;
}

const nameList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== ''),
];

const targetOption = (value: unknown): Partial<Record<LabDataset, number>> | undefined =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(
        LAB_DATASETS.flatMap((d) => {
          const t: unknown = Reflect.get(value, d);
          return typeof t === 'number' ? [[d, t]] : [];
        }),
      )
    : undefined;

const optionalNumber = (value: unknown): number | undefined => (value === undefined ? undefined : Number(value));

async function listGroups(groupsFile: string | undefined, print: (line: string) => void): Promise<void> {
  for (const group of await labGroups(groupsFile)) {
    print(`${group.name}: ${group.title}${group.question === '' ? '' : ` — ${group.question}`}`);
    for (const variant of group.variants) print(`  ${variant.name}: ${variant.label}`);
  }
}

/** Registers `lab` on the program. */
export function addLabCommand(cli: Command, print: (line: string) => void): void {
  cli
    .command('lab')
    .description('run the technique lab: controlled experiments on MNIST and Fashion-MNIST, with a report')
    .option('--quick', 'a small, fast preset: MNIST, 1 seed, 400 training images, 2 epochs (about a minute)', false)
    .option('--group <names>', 'groups to run, comma-separated (default: all; see --list)', nameList)
    .option('--groups-file <file>', 'a JSON file of extra groups')
    .option(
      '--dataset <names>',
      `${LAB_DATASETS.join(', ')}, or both comma-separated (default: both; --quick: mnist)`,
      datasetList,
    )
    .option('--seeds <n>', 'seeds per variant (default 3; --quick: 1)', positiveInteger('--seeds'))
    .option('--epochs <n>', 'epochs per run (default 5; --quick: 2)', positiveInteger('--epochs'))
    .option(
      '--train-size <n>',
      'training images per dataset (default 4000; --quick: 400)',
      positiveInteger('--train-size'),
    )
    .option(
      '--validation-size <n>',
      'validation images per dataset (default 1000; --quick: 200)',
      positiveInteger('--validation-size'),
    )
    .option('--test-size <n>', 'test images per dataset (default 10000; --quick: 400)', positiveInteger('--test-size'))
    .option('--batch-size <n>', 'examples per batch (default 64; --quick: 32)', positiveInteger('--batch-size'))
    .option(
      '--target <accuracy>',
      'validation accuracy to time: 0.9, or mnist=0.98,fashion-mnist=0.88 (default: 0.95 and 0.78; --quick: 0.6 and 0.55)',
      targetList,
    )
    .option('--out <dir>', 'the lab folder: runs, results.json, results.csv, summary.csv, report.html', 'lab')
    .option('--resume', 'keep the finished runs in --out and train only the rest', false)
    .option('--backend <name>', `kernel backend (${engine.backendNames().join(', ')})`)
    // Read by the program's pre-action hook, which sets the wasm backend's threads before it starts.
    .option(
      '--threads <n>',
      'threads for the wasm backend (default: the cores available)',
      positiveInteger('--threads'),
    )
    .option('--list', 'list the groups and their variants, and train nothing', false)
    .option('--quiet', 'no live view; print only the verdicts', false)
    .action(async (options: Record<string, unknown>) => {
      const groupsFile = stringOption(options.groupsFile);
      if (options.list === true) {
        await listGroups(groupsFile, print);
        return;
      }
      const backend = stringOption(options.backend);
      if (backend !== undefined && !engine.backendNames().includes(backend)) {
        throw new ConfigError(
          undefined,
          `--backend must be one of ${engine.backendNames().join(', ')}, received '${backend}'`,
        );
      }
      const controller = new AbortController();
      const onInterrupt = (): void => {
        process.stderr.write('\nStopping after the current batch (press Ctrl-C again to quit at once)…\n');
        controller.abort();
      };
      process.once('SIGINT', onInterrupt);
      try {
        const outcome = await runLab({
          out: String(options.out),
          resume: options.resume === true,
          quick: options.quick === true,
          groups: Array.isArray(options.group) ? options.group.map(String) : undefined,
          groupsFile,
          datasets: Array.isArray(options.dataset) ? datasetList(options.dataset.join(',')) : undefined,
          seeds: optionalNumber(options.seeds),
          epochs: optionalNumber(options.epochs),
          trainSize: optionalNumber(options.trainSize),
          validationSize: optionalNumber(options.validationSize),
          testSize: optionalNumber(options.testSize),
          batchSize: optionalNumber(options.batchSize),
          targets: targetOption(options.target),
          backend,
          view: { quiet: options.quiet === true },
          signal: controller.signal,
        });
        if (outcome.interrupted)
          throw new Error('lab interrupted; the finished runs are kept (run it again with --resume)');
        for (const summary of outcome.results.summaries) {
          for (const v of summary.verdicts) print(`${summary.group}: ${v.sentence}`);
        }
        print(`Report: ${outcome.outDir}/report.html`);
      } finally {
        process.removeListener('SIGINT', onInterrupt);
      }
    });
}
