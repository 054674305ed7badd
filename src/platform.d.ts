/**
 * The few host globals the core uses that exist in every JavaScript runtime (browsers, Node, Deno, workers) but are
 * not in the ECMAScript library types. Declared here so the core build can leave out both DOM and Node types.
 */
declare const console: {
  log(...data: unknown[]): void;
  warn(...data: unknown[]): void;
};

/** Schedules a callback (every runtime has it); the training loop uses it to let the host breathe between batches. */
declare function setTimeout(callback: () => void, ms?: number): unknown;

/** High-resolution time in milliseconds (every runtime has it). */
declare const performance: { now(): number };
