/**
 * Reverse-mode automatic differentiation over the graph that ops record (micrograd's design at tensor level):
 * order the nodes topologically from the output, then walk them in reverse, each node adding its inputs' gradients.
 */
import { engine } from './engine.js';
import { add } from './ops/arithmetic.js';
import { onesLike, zerosLike } from './ops/creation.js';
import { formatShape, shapesEqual } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Gradients of `output` with respect to each of `wrt` (zeros for any that `output` does not depend on).
 * `dy` seeds the reverse pass (default ones, so a non-scalar output is treated as summed).
 */
export function grads(output: Tensor, wrt: readonly Tensor[], dy?: Tensor): Tensor[] {
  if (dy !== undefined && !shapesEqual(dy.shape, output.shape)) {
    throw new Error(
      `grads: dy must have the output's shape ${formatShape(output.shape)}, received ${formatShape(dy.shape)}`,
    );
  }
  return engine.noGrad(() => {
    const order = topologicalOrder(output);
    const wanted = new Set(wrt.map((t) => t.id));
    const gradOf = new Map<number, Tensor>();
    gradOf.set(output.id, dy ?? onesLike(output));

    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      const gradNode = node?.gradNode;
      const dyNode = node === undefined ? undefined : gradOf.get(node.id);
      if (node === undefined || gradNode === undefined || gradNode === null || dyNode === undefined) continue;
      const inputGrads = gradNode.backward(dyNode);
      gradNode.inputs.forEach((input, k) => {
        const g = inputGrads[k];
        if (g === null || g === undefined || !input.requiresGrad) return;
        if (!shapesEqual(g.shape, input.shape)) {
          throw new Error(
            `${gradNode.opName} backward: gradient for input ${k} has shape ${formatShape(g.shape)}, expected ${formatShape(input.shape)}`,
          );
        }
        const previous = gradOf.get(input.id);
        gradOf.set(input.id, previous === undefined ? g : add(previous, g));
      });
      // An intermediate gradient is dead once its node has passed it on.
      if (!wanted.has(node.id) && node !== output) gradOf.delete(node.id);
    }
    return wrt.map((t) => gradOf.get(t.id) ?? zerosLike(t));
  });
}

/** Nodes reachable from `output` through recorded ops, each after all of its inputs. */
function topologicalOrder(output: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<number>();
  // Iterative DFS: deep networks would overflow the call stack with recursion.
  const stack: { tensor: Tensor; expanded: boolean }[] = [{ tensor: output, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    const { tensor, expanded } = top;
    if (expanded) {
      order.push(tensor);
      continue;
    }
    if (visited.has(tensor.id)) continue;
    visited.add(tensor.id);
    stack.push({ tensor, expanded: true });
    for (const input of tensor.gradNode?.inputs ?? []) {
      if (!visited.has(input.id) && input.requiresGrad) stack.push({ tensor: input, expanded: false });
    }
  }
  return order;
}
