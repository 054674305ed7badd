/**
 * The training worker (a module worker): loads the MNIST subset, then trains, predicts, saves and loads models on
 * the page's request, with the same library code as Node on its default backend (WebAssembly SIMD). The page's
 * thread only draws, so it never freezes while a batch runs.
 */
import { errorMessage, getBackend, setBackend } from '../../../src/index.js';
import type { FromWorker, ToWorker } from '../protocol.js';
import { loadPlaygroundData } from './data.js';
import { Trainer } from './trainer.js';

const post = (message: FromWorker, transfer: Transferable[] = []): void => self.postMessage(message, transfer);

let trainer: Trainer | null = null;

function requireTrainer(): Trainer {
  if (trainer === null) throw new Error('The MNIST images are still loading; try again in a moment');
  return trainer;
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init': {
      if (message.backend !== null) setBackend(message.backend);
      post({ type: 'state', state: 'loading', message: 'Loading MNIST…', hasModel: false });
      const data = await loadPlaygroundData(message.dataUrl);
      trainer = new Trainer(data, post);
      post({
        type: 'ready',
        trainCount: data.yTrain.shape[0] ?? 0,
        validationCount: data.yVal.shape[0] ?? 0,
        backend: getBackend().name,
      });
      post({ type: 'state', state: 'idle', message: 'Ready: press Start', hasModel: false });
      return;
    }
    case 'start': {
      requireTrainer().start(message.settings);
      return;
    }
    case 'pause': {
      requireTrainer().pause();
      return;
    }
    case 'resume': {
      requireTrainer().resume();
      return;
    }
    case 'reset': {
      requireTrainer().reset();
      return;
    }
    case 'predict': {
      requireTrainer().predict(message.id, message.pixels);
      return;
    }
    case 'sample': {
      requireTrainer().sample();
      return;
    }
    case 'save': {
      requireTrainer().save();
      return;
    }
    case 'load': {
      requireTrainer().load(message.files, message.settings);
      return;
    }
  }
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((error: unknown) => {
    post({ type: 'error', message: errorMessage(error) });
  });
});
