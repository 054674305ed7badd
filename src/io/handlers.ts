/**
 * Where models are saved to and loaded from, as in tfjs's `io`: a handler object, or a URL whose scheme a
 * module has registered (the Node entry registers `file://`; the browser core registers none, so it never
 * pulls in Node modules). Handlers are structurally compatible with tfjs's: `tf.io.withSaveHandler(…)` and
 * `tf.io.fromMemory(…)` work here, and ours work with tfjs.
 */
import type { Sequential } from '../model/sequential.js';
import { type ArtifactsInput, type ModelArtifacts, modelFromArtifacts, modelToArtifacts, type SaveOptions } from './artifacts.js';

export interface SaveHandler {
  save(artifacts: ModelArtifacts): Promise<unknown>;
}

export interface LoadHandler {
  load(): Promise<ArtifactsInput>;
}

interface Route {
  readonly save?: (url: string) => SaveHandler;
  readonly load?: (url: string) => LoadHandler;
}

const routes = new Map<string, Route>();

/** Makes `scheme` URLs (`'file://'`) usable with `saveModel` / `loadLayersModel`; registering again replaces. */
export function registerScheme(scheme: string, route: Route): void {
  routes.set(scheme, route);
}

function routeFor(url: string, kind: 'save' | 'load'): Route {
  for (const [scheme, route] of routes) if (url.startsWith(scheme) && route[kind] !== undefined) return route;
  const known = [...routes].filter(([, r]) => r[kind] !== undefined).map(([s]) => s);
  throw new Error(`${kind === 'save' ? 'saveModel' : 'loadLayersModel'}: no handler for '${url}'; registered schemes: ${known.length === 0 ? 'none (import the Node entry for file://)' : known.join(', ')}`);
}

/** A save handler that passes the artifacts to `fn` (tfjs `io.withSaveHandler`). */
export function withSaveHandler(fn: (artifacts: ModelArtifacts) => unknown): SaveHandler {
  return { save: async (artifacts) => fn(artifacts) };
}

/** A load handler returning these artifacts (tfjs `io.fromMemory`). */
export function fromMemory(artifacts: ArtifactsInput): LoadHandler {
  return { load: async () => artifacts };
}

/**
 * Saves the model through a handler or to a registered URL; resolves to the handler's result. `options`:
 * `{ includeOptimizer: true, loss, metrics }` adds the optimizer's state (see SaveOptions).
 */
export async function saveModel(model: Sequential, handlerOrUrl: SaveHandler | string, options: SaveOptions = {}): Promise<unknown> {
  const handler = typeof handlerOrUrl === 'string' ? routeFor(handlerOrUrl, 'save').save?.(handlerOrUrl) : handlerOrUrl;
  if (handler === undefined) throw new Error(`saveModel: no save handler for '${String(handlerOrUrl)}'`);
  return handler.save(modelToArtifacts(model, options));
}

/** Loads a model from a handler or a registered URL (tfjs `tf.loadLayersModel`). */
export async function loadLayersModel(handlerOrUrl: LoadHandler | string): Promise<Sequential> {
  const handler = typeof handlerOrUrl === 'string' ? routeFor(handlerOrUrl, 'load').load?.(handlerOrUrl) : handlerOrUrl;
  if (handler === undefined) throw new Error(`loadLayersModel: no load handler for '${String(handlerOrUrl)}'`);
  return modelFromArtifacts(await handler.load(), typeof handlerOrUrl === 'string' ? handlerOrUrl : 'loadLayersModel');
}
