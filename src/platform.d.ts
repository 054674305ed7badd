/**
 * The few host globals the core uses that exist in every JavaScript runtime (browsers, Node, Deno, workers) but are
 * not in the ECMAScript library types. Declared here so the core build can leave out both DOM and Node types.
 */
declare const console: {
  log(...data: unknown[]): void;
  warn(...data: unknown[]): void;
};
