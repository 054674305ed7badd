/**
 * The playground page: wires the settings form, the buttons, the drawing pad and the views to the training worker.
 * The worker owns the model; this thread only sends requests and draws what comes back.
 */
import { byId, SettingsForm, summarize } from './controls.js';
import { DrawingPad } from './draw.js';
import { MetricsView } from './metrics-view.js';
import { toMnist } from './preprocess.js';
import type { FromWorker, PickedFile, ToWorker, TrainingState } from './protocol.js';
import {
  renderConfusion,
  renderFilters,
  renderMistakes,
  renderProbabilities,
  renderSummary,
  topClass,
} from './views.js';

const worker = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module', name: 'cnnlab-trainer' });
const send = (message: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(message, transfer);

const buttons = {
  start: byId('start', HTMLButtonElement),
  pause: byId('pause', HTMLButtonElement),
  resume: byId('resume', HTMLButtonElement),
  reset: byId('reset', HTMLButtonElement),
  sample: byId('sample', HTMLButtonElement),
  download: byId('download', HTMLButtonElement),
};
const loadInput = byId('load-files', HTMLInputElement);
const statusLine = byId('status', HTMLElement);
const errorLine = byId('error', HTMLElement);
const summary = byId('summary', HTMLElement);
const summaryTitle = byId('summary-title', HTMLElement);
const prediction = byId('prediction', HTMLElement);
const probabilities = byId('probabilities', HTMLOListElement);
const preview = byId('preview', HTMLCanvasElement);

/**
 * What the page knows: the worker's state, whether data is loaded, whether a model exists, whether the settings
 * build one.
 */
const view: { state: TrainingState; ready: boolean; hasModel: boolean; settingsOk: boolean } = {
  state: 'loading',
  ready: false,
  hasModel: false,
  settingsOk: true,
};
const metrics = new MetricsView();
let predictionId = 0;
let downloadUrls: string[] = [];

function updateButtons(): void {
  const { state, ready, hasModel, settingsOk } = view;
  buttons.start.disabled = !ready || !(state === 'idle' || state === 'done') || (!hasModel && !settingsOk);
  buttons.start.textContent = hasModel && state === 'done' ? 'Train more' : 'Start';
  buttons.pause.disabled = state !== 'running';
  buttons.resume.disabled = state !== 'paused';
  buttons.reset.disabled = !ready || (!hasModel && state !== 'running');
  buttons.download.disabled = !hasModel;
  buttons.sample.disabled = !ready;
  loadInput.disabled = !ready;
  document.body.dataset.state = state;
}

const form = new SettingsForm(byId('settings-form', HTMLFormElement), () => showSettingsSummary());

function showSettingsSummary(): void {
  const result = summarize(form.read());
  view.settingsOk = 'summary' in result;
  summaryTitle.textContent = view.hasModel ? 'Model summary (from the settings; applies after Reset)' : 'Model summary';
  renderSummary(summary, result);
  updateButtons();
}

// ---- drawing ----

const pad = new DrawingPad(byId('pad', HTMLCanvasElement), () => requestPrediction());

function showPreview(pixels: Float32Array | null): void {
  const context = preview.getContext('2d');
  if (context === null) return;
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round((pixels?.[i] ?? 0) * 255);
    image.data.set([v, v, v, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}

function requestPrediction(): void {
  const pixels = toMnist(pad.ink(), 280, 280);
  showPreview(pixels);
  predictionId++;
  if (pixels === null) {
    renderProbabilities(probabilities, []);
    prediction.textContent = 'Draw a digit.';
    return;
  }
  if (!view.hasModel) {
    prediction.textContent = 'Train or load a model, then draw.';
    return;
  }
  // Until the answer for this drawing arrives, the shown probabilities are for an earlier one.
  probabilities.dataset.pending = 'true';
  send({ type: 'predict', id: predictionId, pixels }, [pixels.buffer]);
}

byId('clear', HTMLButtonElement).addEventListener('click', () => {
  pad.clear();
  requestPrediction();
});

// ---- the worker's reports ----

function saved(modelJson: string, weights: ArrayBuffer): void {
  for (const url of downloadUrls) URL.revokeObjectURL(url);
  const files: [string, Blob][] = [
    ['model.json', new Blob([modelJson], { type: 'application/json' })],
    ['weights.bin', new Blob([weights], { type: 'application/octet-stream' })],
  ];
  downloadUrls = files.map(([, blob]) => URL.createObjectURL(blob));
  const links = files.map(([name], i) =>
    Object.assign(document.createElement('a'), { href: downloadUrls[i] ?? '', download: name, textContent: name }),
  );
  byId('download-links', HTMLElement).replaceChildren(
    'Files: ',
    links[0] ?? '',
    ' · ',
    links[1] ?? '',
    ' (if the browser blocked a download, use these links)',
  );
  for (const link of links) link.click();
}

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'ready':
      view.ready = true;
      byId('environment', HTMLElement).textContent =
        `${message.trainCount.toLocaleString('en-US')} training and ` +
        `${message.validationCount.toLocaleString('en-US')} validation images (MNIST) · backend: ${message.backend} · ` +
        `cross-origin isolated: ${globalThis.crossOriginIsolated ? 'yes' : 'no'}`;
      break;
    case 'state':
      view.state = message.state;
      view.hasModel = message.hasModel;
      statusLine.textContent = message.message;
      if (!message.hasModel) showSettingsSummary();
      break;
    case 'model':
      view.hasModel = true;
      summaryTitle.textContent =
        message.source === 'file' ? 'Model summary (loaded model)' : 'Model summary (training)';
      renderSummary(summary, { summary: message.summary });
      metrics.clear();
      break;
    case 'progress':
      metrics.progress(message);
      break;
    case 'validation':
      metrics.validation(message);
      renderConfusion(byId('confusion', HTMLTableElement), message.confusion);
      renderMistakes(byId('mistakes', HTMLElement), message.mistakes);
      renderFilters(byId('filters', HTMLElement), message.filters);
      // The probabilities of the digit on the pad follow the model as it learns.
      requestPrediction();
      break;
    case 'prediction': {
      if (message.id !== predictionId) break;
      probabilities.dataset.pending = 'false';
      renderProbabilities(probabilities, message.probabilities);
      const top = topClass(message.probabilities);
      prediction.textContent =
        top === null ? 'No model yet.' : `Prediction: ${top.digit} (${(top.probability * 100).toFixed(1)}%)`;
      break;
    }
    case 'sample':
      pad.show(message.pixels);
      requestPrediction();
      prediction.dataset.label = String(message.label);
      break;
    case 'saved':
      saved(message.modelJson, message.weights);
      break;
    case 'error':
      errorLine.hidden = false;
      errorLine.textContent = message.message;
      break;
  }
  updateButtons();
}

worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onMessage(event.data));
worker.addEventListener('error', (event) =>
  onMessage({ type: 'error', message: `The training worker failed: ${event.message}` }),
);

// ---- buttons ----

function clearError(): void {
  errorLine.hidden = true;
  errorLine.textContent = '';
}

buttons.start.addEventListener('click', () => {
  clearError();
  view.state = 'running';
  updateButtons();
  send({ type: 'start', settings: form.read() });
});
buttons.pause.addEventListener('click', () => send({ type: 'pause' }));
buttons.resume.addEventListener('click', () => send({ type: 'resume' }));
buttons.reset.addEventListener('click', () => {
  clearError();
  metrics.clear();
  send({ type: 'reset' });
});
buttons.sample.addEventListener('click', () => send({ type: 'sample' }));
buttons.download.addEventListener('click', () => send({ type: 'save' }));
loadInput.addEventListener('change', () => {
  const picked = [...(loadInput.files ?? [])];
  if (picked.length === 0) return;
  clearError();
  void Promise.all(
    picked.map(async (file): Promise<PickedFile> => ({ name: file.name, bytes: await file.arrayBuffer() })),
  ).then((files) => {
    send(
      { type: 'load', files, settings: form.read() },
      files.map((f) => f.bytes),
    );
    loadInput.value = '';
  });
});

showSettingsSummary();
send({
  type: 'init',
  dataUrl: new URL('mnist/', document.baseURI).href,
  backend: new URLSearchParams(location.search).get('backend'),
});
