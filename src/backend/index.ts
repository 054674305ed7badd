/** Registers the built-in backends. The first registered that starts is the default. */
import { engine } from '../engine.js';
import { JsBackend } from './js/index.js';
import { WasmBackend } from './wasm/index.js';

// wasm (WebAssembly SIMD kernels) is the default; js is the reference, and the fallback where wasm cannot start.
engine.registerBackend('wasm', () => new WasmBackend());
engine.registerBackend('js', () => new JsBackend());
