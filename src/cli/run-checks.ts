/** Checks on a finished run that its numbers alone do not show. */

/**
 * A warning line when training did not learn: the last epoch's loss is no lower than the first's and its accuracy is
 * at most 1.5× chance (too high a learning rate typically does this without ever reaching NaN). Needs two epochs.
 */
export function notLearning(history: Readonly<Record<string, readonly number[]>>, numClasses: number): string | null {
  const losses = history.loss ?? [];
  const accuracies = history.accuracy ?? [];
  const first = losses[0];
  const last = losses[losses.length - 1];
  const accuracy = accuracies[accuracies.length - 1];
  if (losses.length < 2 || first === undefined || last === undefined || accuracy === undefined || numClasses < 2)
    return null;
  const chance = 1 / numClasses;
  if (last < first || accuracy > 1.5 * chance) return null;
  return (
    `Warning: the model is not learning: the loss went from ${first.toFixed(4)} to ${last.toFixed(4)} and the ` +
    `training accuracy is ${(accuracy * 100).toFixed(2)}% (chance is ${(chance * 100).toFixed(2)}%); try a lower --learning-rate`
  );
}
