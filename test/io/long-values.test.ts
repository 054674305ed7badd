/**
 * Errors quote at most a few hundred characters of a user value (issue 13: a 50 MB layer name ended up twice in
 * one message, 104,857,744 characters on stderr).
 */
import { describe, expect, it } from 'vitest';
import { modelFromTopology, quote } from '../../src/index.js';

const LONG = 'n'.repeat(5_000_000);

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected an error');
}

const layer = (className: string, config: Record<string, unknown>): unknown => ({ class_name: className, config });

describe('long user values in messages', () => {
  it('quote cuts a value past the limit and says how long it was', () => {
    expect(quote('conv1')).toBe("'conv1'");
    expect(quote('abcdef', 3)).toBe("'abc…' (6 characters)");
  });

  for (const [what, layers] of [
    [
      'a bad option of a layer with a long name',
      [layer('Dense', { name: LONG, units: 0, batch_input_shape: [null, 3] })],
    ],
    [
      'two layers of the same long name',
      [
        layer('Dense', { name: LONG, units: 2, batch_input_shape: [null, 3] }),
        layer('Dense', { name: LONG, units: 2 }),
      ],
    ],
    ['an unknown class of a long name', [layer(LONG, { name: 'x', batch_input_shape: [null, 3] })]],
  ] as const) {
    it(`names ${what} in a message of a few hundred characters`, () => {
      const topology = { class_name: 'Sequential', config: { name: 'm', layers } };
      const message = messageOf(() => modelFromTopology(topology, 'long.json'));
      expect(message).toMatch(/^long\.json: /);
      expect(message).toContain("'nnnnnnnnnn");
      expect(message.length).toBeLessThan(2000);
    });
  }
});
