import { describe, expect, it } from 'vitest';
import { stat } from '../../src/lab/stats.js';
import { verdict, type VariantSummary } from '../../src/lab/verdict.js';

/** A variant whose per-seed results are given; other metrics are empty. */
function variant(
  name: string,
  results: { test?: number[]; gap?: number[]; epochs?: (number | null)[]; seconds?: number[] },
): VariantSummary {
  const epochs = results.epochs ?? [];
  const reached = epochs.filter((e): e is number => e !== null);
  const runCount = Math.max(results.test?.length ?? 0, epochs.length, 1);
  return {
    variant: name,
    label: `${name} label`,
    runs: [],
    runCount,
    params: 100,
    testAccuracy: stat(results.test ?? []),
    generalizationGap: stat(results.gap ?? []),
    epochsToTarget: stat(reached),
    secondsToTarget: stat([]),
    reachedTarget: reached.length,
    secondsPerEpoch: stat(results.seconds ?? []),
    diverged: 0,
    curves: { loss: [], accuracy: [], val_loss: [], val_accuracy: [] },
  };
}

const context = { dataset: 'mnist', target: 0.97, epochs: 5 };

describe('lab verdicts', () => {
  it('names the winner, its lead over the runner-up, and that the lead exceeds the seed spread', () => {
    // Means (by hand): ref 0.96, a 0.98 (std 0.01), b 0.95 (std 0.01). Lead of a over ref: 0.02; spreads: ref's
    // std is 0 (equal values), a's 0.01, so the sum is 0.01 < 0.02: clear.
    const v = verdict(
      'testAccuracy',
      [
        variant('ref', { test: [0.96, 0.96, 0.96] }),
        variant('a', { test: [0.97, 0.98, 0.99] }),
        variant('b', { test: [0.94, 0.95, 0.96] }),
      ],
      context,
    );
    expect(v).toMatchObject({ metric: 'testAccuracy', best: 'a', runnerUp: 'ref', exceedsSpread: true });
    expect(v.difference).toBeCloseTo(0.02, 12);
    expect(v.spread).toBeCloseTo(0.01, 12);
    expect(v.sentence).toBe(
      'On MNIST, a label has the best test accuracy, 98.00% ± 1.00, 2.00 points above ref label ' +
        '(96.00% ± 0.00); the lead is larger than their seed spreads combined (1.00 points), so it is clear.',
    );
  });

  it('says when the lead is within the seed spread, and mentions the reference when it is not in the top two', () => {
    // a: mean 0.98, std 0.01; b: mean 0.975, std 0.005 (values 0.97, 0.975, 0.98); lead 0.005 < 0.015.
    const v = verdict(
      'testAccuracy',
      [
        variant('ref', { test: [0.9, 0.9, 0.9] }),
        variant('a', { test: [0.97, 0.98, 0.99] }),
        variant('b', { test: [0.97, 0.975, 0.98] }),
      ],
      context,
    );
    expect(v).toMatchObject({ best: 'a', runnerUp: 'b', exceedsSpread: false });
    expect(v.sentence).toContain(
      '0.50 points above b label (97.50% ± 0.50); the lead is within their seed spreads combined (1.50 points)',
    );
    expect(v.sentence).toContain('The reference, ref label, has 90.00% ± 0.00.');
  });

  it('with one seed the spread is unknown; equal means are a tie', () => {
    const one = verdict('testAccuracy', [variant('ref', { test: [0.9] }), variant('a', { test: [0.95] })], context);
    expect(one.exceedsSpread).toBeNull();
    expect(one.sentence).toContain('with one seed per variant the seed spread is unknown');
    const tie = verdict('testAccuracy', [variant('ref', { test: [0.9] }), variant('a', { test: [0.9] })], context);
    expect(tie.sentence).toBe('On MNIST, ref label and a label tie on test accuracy at 90.00%.');
    // Equal means with different spreads: each value is given. By hand: b's std is √((0.25² + 0.25²) / 1) = 0.3536.
    const spreads = verdict(
      'testAccuracy',
      [variant('a', { test: [0.5, 0.5] }), variant('b', { test: [0.25, 0.75] })],
      context,
    );
    expect(spreads.sentence).toBe(
      'On MNIST, a label and b label tie on test accuracy, 50.00% ± 0.00 and 50.00% ± 35.36.',
    );
    // Every variant level with the best is named; the reference, behind them, is mentioned after.
    const three = verdict(
      'epochsToTarget',
      [
        variant('ref', { epochs: [3] }),
        variant('a', { epochs: [2] }),
        variant('b', { epochs: [2] }),
        variant('c', { epochs: [2] }),
      ],
      context,
    );
    expect(three).toMatchObject({ best: 'a', runnerUp: 'b', difference: 0 });
    expect(three.sentence).toBe(
      'On MNIST, a label, b label and c label tie on epochs to 97.00% validation accuracy at ' +
        '2.00 epochs. The reference, ref label, has 3.00 epochs.',
    );
  });

  it('ranks lower-is-better metrics ascending (generalization gap, seconds per epoch)', () => {
    const gap = verdict(
      'generalizationGap',
      [variant('ref', { gap: [0.03, 0.05] }), variant('drop', { gap: [0.01, 0.01] })],
      { ...context, dataset: 'fashion-mnist' },
    );
    expect(gap).toMatchObject({ best: 'drop', runnerUp: 'ref' });
    expect(gap.sentence).toMatch(
      /^On Fashion-MNIST, drop label over-fits least, with a generalization gap \(training minus test accuracy\) of 1\.00 points ± 0\.00, 3\.00 points less than ref label/,
    );
    const time = verdict(
      'secondsPerEpoch',
      [variant('slow', { seconds: [3, 3] }), variant('fast', { seconds: [1, 1] })],
      context,
    );
    expect(time).toMatchObject({ best: 'fast', runnerUp: 'slow', exceedsSpread: true });
    expect(time.difference).toBe(2);
  });

  it('time to target ranks only variants that reached it in every run, and lists the others', () => {
    const v = verdict(
      'epochsToTarget',
      [
        variant('ref', { epochs: [3, 3, 4] }),
        variant('bn', { epochs: [1, 2, 1] }),
        variant('sigmoid', { epochs: [null, null, 5] }),
      ],
      context,
    );
    expect(v).toMatchObject({ best: 'bn', runnerUp: 'ref' });
    expect(v.difference).toBeCloseTo(10 / 3 - 4 / 3, 12);
    expect(v.sentence).toContain('bn label reaches 97.00% validation accuracy soonest, after 1.33 epochs');
    expect(v.sentence).toContain('Runs that reached it within 5 epochs: sigmoid label in 1 of 3.');
    const none = verdict('epochsToTarget', [variant('ref', { epochs: [null] })], context);
    expect(none.best).toBeNull();
    expect(none.sentence).toContain('no variant reached 97.00% validation accuracy in every run within 5 epochs');
  });
});
