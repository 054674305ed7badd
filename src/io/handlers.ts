/**
 * Where models are saved to and loaded from, as in tfjs's `io`: a handler object, or a URL whose scheme a
 * module has registered (the Node entry registers `file://` and plain paths; the browser core registers none, so
 * it never pulls in Node modules). Handlers are structurally compatible with tfjs's: `tf.io.withSaveHandler(…)`
 * and `tf.io.fromMemory(…)` work here, and ours work with tfjs.
 */
import { ConfigError, quote } from '../errors.js';
import type { ArtifactsInput, ModelArtifacts } from './artifacts.js';

/** Receives a model's artifacts; `saveModel` resolves to what `save` resolves to. */
export interface SaveHandler<R = unknown> {
  save(artifacts: ModelArtifacts): Promise<R>;
}

export interface LoadHandler {
  load(): Promise<ArtifactsInput>;
  /** What errors about the loaded artifacts name (a file path), once `load` has resolved; default: the URL. */
  readonly source?: string;
}

interface Route {
  readonly save?: (url: string) => SaveHandler;
  readonly load?: (url: string) => LoadHandler;
}

/** The key under which `registerScheme` takes the route for paths without a scheme. */
export const PLAIN_PATHS = '';

const routes = new Map<string, Route>();

/**
 * Makes `scheme` URLs (`'file://'`) usable with `saveModel` / `loadLayersModel`; registering again replaces.
 * `PLAIN_PATHS` registers the route for strings without a `scheme://` prefix ('runs/model').
 */
export function registerScheme(scheme: string, route: Route): void {
  routes.set(scheme, route);
}

function routeFor(url: string, kind: 'save' | 'load'): Route {
  for (const [scheme, route] of routes)
    if (scheme !== PLAIN_PATHS && url.startsWith(scheme) && route[kind] !== undefined) return route;
  const plain = routes.get(PLAIN_PATHS);
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url) && plain?.[kind] !== undefined) return plain;
  const known = [...routes].filter(([s, r]) => s !== PLAIN_PATHS && r[kind] !== undefined).map(([s]) => s);
  throw new ConfigError(
    kind === 'save' ? 'saveModel' : 'loadLayersModel',
    `no handler for ${quote(url)}; registered schemes: ${known.length === 0 ? 'none (import the Node entry for file://)' : known.join(', ')}`,
  );
}

/** The save handler of a registered URL. */
export function saveHandlerFor(url: string): SaveHandler {
  const make = routeFor(url, 'save').save;
  if (make === undefined) throw new ConfigError('saveModel', `no save handler for ${quote(url)}`);
  return make(url);
}

/** The load handler of a registered URL. */
export function loadHandlerFor(url: string): LoadHandler {
  const make = routeFor(url, 'load').load;
  if (make === undefined) throw new ConfigError('loadLayersModel', `no load handler for ${quote(url)}`);
  return make(url);
}

/** A save handler that passes the artifacts to `fn` (tfjs `io.withSaveHandler`). */
export function withSaveHandler<R>(fn: (artifacts: ModelArtifacts) => R | Promise<R>): SaveHandler<R> {
  return { save: async (artifacts) => fn(artifacts) };
}

/** A load handler returning these artifacts (tfjs `io.fromMemory`). */
export function fromMemory(artifacts: ArtifactsInput): LoadHandler {
  return { load: async () => artifacts };
}
