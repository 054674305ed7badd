/**
 * A layer's options, declared once. Each layer writes a spec: for each option, how a given value is checked and
 * resolved, its default, and how `getConfig()` writes it, with the option's doc comment on the spec property.
 * The constructor's `Args`, the resolved `options`, the `getConfig()` type and the validation all derive from it
 * (the mapped types below are homomorphic, so hovering an Args field shows the spec property's doc comment).
 *
 *   const SPEC = { units: required(positiveInteger), useBias: optional(true, boolean) };
 *   type Args = LayerArgs & ArgsOf<typeof SPEC>;   // { units: number; useBias?: boolean; … }
 */

/** Throws the standard error: ``Conv2D 'conv2d_1': `filters` must be a positive integer, received 0``. */
export type Fail = (expected: string, received: unknown) => never;

/** What a parser gets besides the value. */
export interface OptionContext {
  readonly fail: Fail;
  /** The layer, as errors name it: `Conv2D 'conv2d_1'`. */
  readonly where: string;
  /** The option's name. */
  readonly argument: string;
  /** The options resolved before this one, in spec order (for defaults that follow another option). */
  readonly earlier: Readonly<Record<string, unknown>>;
}

/**
 * One option. `In` is what the constructor accepts, `Value` what the layer holds, `Saved` what its config holds
 * (`never`: the option is checked but not written). Methods, not function properties, so that options of any
 * types fit `AnyOption` (method parameters are compared bivariantly).
 */
export interface Option<In, Value, Saved, Optional extends boolean> {
  readonly optional: Optional;
  /** Checks a given value (after the default stood in for an absent or null one) and resolves it. */
  parse(value: In, context: OptionContext): Value;
  /** The value as the config holds it (plain JSON), or undefined for options the config leaves out. */
  save(value: Value): Saved | undefined;
}

/**
 * Any option, its types erased (what a spec holds; method parameters are compared bivariantly, so every option
 * fits).
 */
export interface AnyOption {
  readonly optional: boolean;
  parse(value: unknown, context: OptionContext): unknown;
  save(value: unknown): unknown;
}
export type Spec = Readonly<Record<string, AnyOption>>;

type Parser<In, Value> = (value: In, context: OptionContext) => Value;
const identity = <T>(value: T): T => value;

/**
 * An option the caller must give (its parser reports a missing one:
 * ``… `units` must be a positive integer, received undefined``).
 */
export function required<In, Value>(parse: Parser<In, Value>): Option<In, Value, Value, false>;
export function required<In, Value, Saved>(
  parse: Parser<In, Value>,
  save: (value: Value) => Saved,
): Option<In, Value, Saved, false>;
export function required<In, Value, Saved>(
  parse: Parser<In, Value>,
  save?: (value: Value) => Saved,
): Option<In, Value, Saved | Value, false> {
  return { optional: false, parse, save: save ?? identity };
}

/** An option with a default, used when the value is absent or null (as tfjs and Keras configs write "unset"). */
export function optional<In, Value>(fallback: NoInfer<In>, parse: Parser<In, Value>): Option<In, Value, Value, true>;
export function optional<In, Value, Saved>(
  fallback: NoInfer<In>,
  parse: Parser<In, Value>,
  save: (value: Value) => Saved,
): Option<In, Value, Saved, true>;
export function optional<In, Value, Saved>(
  fallback: In,
  parse: Parser<In, Value>,
  save?: (value: Value) => Saved,
): Option<In, Value, Saved | Value, true> {
  return { optional: true, parse: (value, context) => parse(value ?? fallback, context), save: save ?? identity };
}

/**
 * A Keras option cnnlab does not implement, accepted only at its default (absent, null or `value`) so that a
 * model file asking for something else is refused rather than silently computed differently. Never written.
 */
export function onlyDefault<const T extends string | number | boolean | null>(
  value: T,
  why: string,
): Option<T, T, never, true> {
  return {
    optional: true,
    parse: (given, { fail }) =>
      given === undefined || given === null || given === value
        ? value
        : fail(`${JSON.stringify(value)} (${why})`, JSON.stringify(given)),
    save: () => undefined,
  };
}

type InOf<O> = O extends { parse(value: infer In, context: OptionContext): unknown } ? In : never;
type ValueOf<O> = O extends { parse(value: never, context: OptionContext): infer Value } ? Value : never;
type SavedOf<O> = O extends { save(value: never): infer Saved } ? Exclude<Saved, undefined> : never;
type ArgValues<S> = { readonly [K in keyof S]: InOf<S[K]> };
type OptionalKeys<S> = { [K in keyof S]: S[K] extends { readonly optional: true } ? K : never }[keyof S];
type SavedKeys<S> = { [K in keyof S]: [SavedOf<S[K]>] extends [never] ? never : K }[keyof S];

/** The constructor's options: those with a default may be omitted (or null). */
export type ArgsOf<S> = Pick<ArgValues<S>, Exclude<keyof S, OptionalKeys<S>>> & {
  readonly [K in keyof Pick<ArgValues<S>, OptionalKeys<S>>]?: ArgValues<S>[K] | null;
};

/** The options as the layer holds them, resolved and checked. */
export type Resolved<S> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** The options as `getConfig()` writes them (plain JSON values). */
export type SavedOptions<S> = Pick<{ readonly [K in keyof S]: SavedOf<S[K]> }, SavedKeys<S>>;

/**
 * Resolves every option of `spec` from `args`, in spec order; a bad value throws through `context.fail`. Values are
 * passed to the parsers as given (a missing required option as undefined): args may come from plain JavaScript or
 * a model file, so every parser checks its value whatever its declared type.
 */
export function resolveOptions<S extends Spec>(
  spec: S,
  args: object,
  where: string,
  fail: (argument: string, expected: string, received: unknown) => never,
): Resolved<S> {
  const resolved: Record<string, unknown> = {};
  for (const [argument, option] of Object.entries(spec)) {
    const value: unknown = Reflect.get(args, argument);
    const context: OptionContext = {
      fail: (expected, received) => fail(argument, expected, received),
      where,
      argument,
      earlier: resolved,
    };
    resolved[argument] = option.parse(value, context);
  }
  // Each value came from its own option's parser, so the record has the spec's types (which Object.entries erased).
  return resolved as Resolved<S>;
}

/** The saved form of each written option, in spec order. */
export function saveOptions<S extends Spec>(spec: S, options: Resolved<S>): SavedOptions<S> {
  const saved: Record<string, unknown> = {};
  for (const [argument, option] of Object.entries(spec)) {
    const value = option.save(Reflect.get(options, argument));
    if (value !== undefined) saved[argument] = value;
  }
  // As in resolveOptions: each value came from its own option's `save`.
  return saved as SavedOptions<S>;
}
