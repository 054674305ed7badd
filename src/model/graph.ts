/**
 * The layer calls between a functional model's inputs and outputs, in an order that runs each call after the calls
 * feeding it. Found by walking back from the outputs; refused, naming the layers, when an output depends on an input
 * the model is not given, when a given input feeds no output, or when calls form a cycle (possible only in files).
 */
import { ConfigError, quote } from '../errors.js';
import type { LayerCall, SymbolicTensor } from '../layers/symbolic.js';

export interface Graph {
  /** Every call the outputs depend on, each after its inputs' calls (input layers' calls included). */
  readonly calls: readonly LayerCall[];
}

const describeCall = (call: LayerCall): string => `${quote(call.layer.name)} (${call.layer.className})`;

/**
 * Orders the calls from `inputs` to `outputs` (iterative depth-first post-order, inputs visited in call order, so
 * the order is deterministic and deep networks cannot overflow the stack). `where` names the model in errors.
 */
export function traceGraph(
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
  where: string,
): Graph {
  inputs.forEach((input, i) => {
    if (input.call.inputs.length > 0) {
      throw new ConfigError(
        where,
        `input ${i} must come from \`input()\` (an input layer), received the output of ${describeCall(input.call)}`,
      );
    }
  });
  const given = new Set(inputs.map((i) => i.call));
  const order: LayerCall[] = [];
  const state = new Map<LayerCall, 'open' | 'done'>();
  for (const output of outputs) {
    const stack: { call: LayerCall; next: number }[] = [{ call: output.call, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) break;
      if (top.next === 0 && state.get(top.call) === undefined) {
        state.set(top.call, 'open');
        if (top.call.inputs.length === 0 && !given.has(top.call)) {
          throw new ConfigError(
            where,
            `graph disconnected: output ${describeCall(output.call)} depends on input layer ${describeCall(top.call)}, ` +
              `which is not among the model's inputs (${inputs.map((i) => quote(i.call.layer.name)).join(', ')})`,
          );
        }
      }
      const feeding = top.call.inputs[top.next];
      if (feeding === undefined) {
        state.set(top.call, 'done');
        order.push(top.call);
        stack.pop();
        continue;
      }
      top.next++;
      const seen = state.get(feeding.call);
      if (seen === 'open') {
        throw new ConfigError(
          where,
          `the layer calls form a cycle through ${describeCall(feeding.call)} and ${describeCall(top.call)}`,
        );
      }
      if (seen === undefined) stack.push({ call: feeding.call, next: 0 });
    }
  }
  for (const input of inputs) {
    if (state.get(input.call) === undefined) {
      throw new ConfigError(where, `input ${describeCall(input.call)} is not connected to any output`);
    }
  }
  return { calls: order };
}
