/** Registers the built-in backends. The first registered is the default. */
import { engine } from '../engine.js';
import { JsBackend } from './js/index.js';
import { WasmBackend } from './wasm/index.js';

engine.registerBackend('js', () => new JsBackend());
engine.registerBackend('wasm', () => new WasmBackend());
