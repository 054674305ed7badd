/**
 * The settings form: fills its options from settings.ts, reads it back into a Settings value, and shows the model
 * summary those settings give. The summary is built here on the page's thread with the `js` backend (the model's
 * weights are a few hundred kilobytes of ordinary memory), so it updates at once even while the worker trains.
 */
import { errorMessage, setBackend } from '../../src/index.js';
import {
  ACTIVATIONS,
  BATCH_SIZES,
  buildModel,
  DEFAULT_SETTINGS,
  isOptimizerName,
  KERNEL_SIZES,
  type ModelSummary,
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_NAMES,
  PADDINGS,
  POOLINGS,
  type Settings,
  settingsProblem,
  summaryOf,
} from './settings.js';

setBackend('js');

const OPTIMIZER_LABELS: Readonly<Record<string, string>> = {
  adam: 'Adam',
  sgd: 'SGD',
  momentum: 'SGD + momentum 0.9',
  rmsprop: 'RMSprop',
  adamw: 'AdamW',
  nadam: 'Nadam',
  adamax: 'Adamax',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
};

const ACTIVATION_LABELS: Readonly<Record<string, string>> = {
  relu: 'ReLU',
  leakyRelu: 'Leaky ReLU',
  elu: 'ELU',
  selu: 'SELU',
  gelu: 'GELU',
  swish: 'Swish',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
};

/** The element with this id, checked to be of the expected class. */
export function byId<T extends Element>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`playground: #${id} is missing or not a ${type.name}`);
  return element;
}

function fillSelect(
  select: HTMLSelectElement,
  values: readonly (string | number)[],
  labels: Readonly<Record<string, string>> = {},
): void {
  select.replaceChildren(...values.map((v) => new Option(labels[String(v)] ?? String(v), String(v))));
}

function pick<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return values.find((v) => v === value) ?? fallback;
}

export class SettingsForm {
  private readonly activation = byId('activation', HTMLSelectElement);
  private readonly pooling = byId('pooling', HTMLSelectElement);
  private readonly kernelSize = byId('kernel-size', HTMLSelectElement);
  private readonly padding = byId('padding', HTMLSelectElement);
  private readonly batchNorm = byId('batch-norm', HTMLInputElement);
  private readonly dropout = byId('dropout', HTMLInputElement);
  private readonly dropoutValue = byId('dropout-value', HTMLOutputElement);
  private readonly l1 = byId('l1', HTMLInputElement);
  private readonly l2 = byId('l2', HTMLInputElement);
  private readonly optimizer = byId('optimizer', HTMLSelectElement);
  private readonly learningRate = byId('learning-rate', HTMLInputElement);
  private readonly batchSize = byId('batch-size', HTMLSelectElement);
  private readonly epochs = byId('epochs', HTMLInputElement);
  private readonly seed = byId('seed', HTMLInputElement);

  constructor(form: HTMLFormElement, onChange: () => void) {
    fillSelect(this.activation, ACTIVATIONS, ACTIVATION_LABELS);
    fillSelect(
      this.kernelSize,
      KERNEL_SIZES.map((k) => `${k}`),
      Object.fromEntries(KERNEL_SIZES.map((k) => [`${k}`, `${k}×${k}`])),
    );
    fillSelect(this.optimizer, OPTIMIZER_NAMES, OPTIMIZER_LABELS);
    fillSelect(this.batchSize, BATCH_SIZES);
    this.write(DEFAULT_SETTINGS);
    this.optimizer.addEventListener('change', () => {
      // A new optimizer starts from its usual learning rate (SGD's 0.01 would be far too small for Adadelta's 1).
      if (isOptimizerName(this.optimizer.value))
        this.learningRate.value = String(OPTIMIZER_DEFAULTS[this.optimizer.value]);
    });
    form.addEventListener('input', () => {
      this.dropoutValue.value = Number(this.dropout.value).toFixed(2);
      onChange();
    });
    form.addEventListener('change', onChange);
    form.addEventListener('submit', (event) => event.preventDefault());
  }

  write(s: Settings): void {
    this.activation.value = s.activation;
    this.pooling.value = s.pooling;
    this.kernelSize.value = String(s.kernelSize);
    this.padding.value = s.padding;
    this.batchNorm.checked = s.batchNorm;
    this.dropout.value = String(s.dropout);
    this.dropoutValue.value = s.dropout.toFixed(2);
    this.l1.value = String(s.l1);
    this.l2.value = String(s.l2);
    this.optimizer.value = s.optimizer;
    this.learningRate.value = String(s.learningRate);
    this.batchSize.value = String(s.batchSize);
    this.epochs.value = String(s.epochs);
    this.seed.value = String(s.seed);
  }

  read(): Settings {
    const d = DEFAULT_SETTINGS;
    return {
      activation: pick(ACTIVATIONS, this.activation.value, d.activation),
      pooling: pick(POOLINGS, this.pooling.value, d.pooling),
      kernelSize: Number(this.kernelSize.value),
      padding: pick(PADDINGS, this.padding.value, d.padding),
      batchNorm: this.batchNorm.checked,
      dropout: Number(this.dropout.value),
      // An empty number field means 0 (no penalty), not an error.
      l1: this.l1.value === '' ? 0 : Number(this.l1.value),
      l2: this.l2.value === '' ? 0 : Number(this.l2.value),
      optimizer: isOptimizerName(this.optimizer.value) ? this.optimizer.value : d.optimizer,
      learningRate: Number(this.learningRate.value),
      batchSize: Number(this.batchSize.value),
      epochs: Number(this.epochs.value),
      seed: Number(this.seed.value),
    };
  }
}

/** The summary of the model the settings give, or the reason they give none. */
export function summarize(s: Settings): { readonly summary: ModelSummary } | { readonly problem: string } {
  const problem = settingsProblem(s);
  if (problem !== null) return { problem };
  try {
    return { summary: summaryOf(buildModel(s)) };
  } catch (error) {
    return { problem: errorMessage(error) };
  }
}
