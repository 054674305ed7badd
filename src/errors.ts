/**
 * cnnlab's errors. Every error cnnlab throws on purpose is a `CnnlabError`; subclasses say what went wrong so that
 * callers branch on the class, never on the message. Context is added by wrapping (`new ModelFileError(…, { cause })`)
 * or by `prefixed`, never by cutting and re-gluing message strings.
 *
 * Messages name the place, the expectation and the received value:
 *   Conv2D 'conv2d_1': `filters` must be a positive integer, received 0
 */

/** The root of cnnlab's errors. `where` is the place the message starts with (a layer, a file, a flag). */
export class CnnlabError extends Error {
  override readonly name: string = 'CnnlabError';
  /** The message without the place (`where`), for wrappers that restate it under another place. */
  readonly detail: string;
  readonly where: string | undefined;

  constructor(where: string | undefined, detail: string, options?: { readonly cause?: unknown }) {
    super(where === undefined ? detail : `${where}: ${detail}`, options);
    this.where = where;
    this.detail = detail;
  }

  /** The same error under another place, of the same class, with this one as its cause. */
  restated(where: string): CnnlabError {
    return new CnnlabError(where, this.detail, { cause: this });
  }
}

/** A bad argument, option or config value (Keras' ValueError). */
export class ConfigError extends CnnlabError {
  override readonly name: string = 'ConfigError';
  override restated(where: string): ConfigError {
    return new ConfigError(where, this.detail, { cause: this });
  }
}

/** A tensor or symbolic shape that does not fit an op, a layer or a model. */
export class ShapeError extends CnnlabError {
  override readonly name: string = 'ShapeError';
  override restated(where: string): ShapeError {
    return new ShapeError(where, this.detail, { cause: this });
  }
}

/** A malformed, hostile or unsupported model file, manifest, dataset or state file. */
export class FormatError extends CnnlabError {
  override readonly name: string = 'FormatError';
  override restated(where: string): FormatError {
    return new FormatError(where, this.detail, { cause: this });
  }
}

/** A call made in the wrong state (fit before compile, a layer called before it was built, a disposed model). */
export class StateError extends CnnlabError {
  override readonly name: string = 'StateError';
  override restated(where: string): StateError {
    return new StateError(where, this.detail, { cause: this });
  }
}

/** The message of anything thrown: an Error's message, or the value as text (for `throw 'text'` from user code). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The same kind of error restated under another place: a CnnlabError keeps its class and detail
 * (`conv2d: the filter…` under `Conv2D 'c'` reads `Conv2D 'c': the filter…`); anything else becomes a CnnlabError.
 * The original is kept as `cause`.
 */
export function prefixed(where: string, error: unknown): CnnlabError {
  if (error instanceof CnnlabError) return error.restated(where);
  return new CnnlabError(where, errorMessage(error), { cause: error });
}

/** The most characters of a user value (a name, a path) that `quote` puts in a message. */
export const MAX_QUOTED_CHARS = 200;

/**
 * A user value quoted for a message, `'conv1'`; beyond `max` characters it is cut, and the cut says how long the
 * value was (a 50 MB layer name must not become a 50 MB message).
 */
export function quote(value: string | undefined, max = MAX_QUOTED_CHARS): string {
  const text = String(value); // 'undefined', as a template literal writes it
  if (text.length <= max) return `'${text}'`;
  return `'${text.slice(0, max)}…' (${text.length} characters)`;
}
