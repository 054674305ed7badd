import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { BUILT_IN_GROUPS } from '../../src/lab/groups.js';

describe('cnnlab lab (no training)', () => {
  it('--list prints every group with its variants', async () => {
    const { code, out } = await cli('lab', '--list');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    const variants = BUILT_IN_GROUPS.reduce((n, g) => n + g.variants.length, 0);
    expect(lines).toHaveLength(BUILT_IN_GROUPS.length + variants);
    expect(lines[0]).toBe('regularization: Weight regularization — Which kernel penalty helps: none, L2, L1 or both?');
    expect(lines).toContain('  with-10x-lr: with batch norm, 10× learning rate');
  });

  it('bad flags exit 2; an unknown group exits 1 naming the known ones', async () => {
    const dataset = await cli('lab', '--dataset', 'cifar10');
    expect(dataset.code).toBe(2);
    expect(dataset.err).toContain("--dataset must be mnist, fashion-mnist or both comma-separated, received 'cifar10'");
    expect((await cli('lab', '--seeds', '0')).code).toBe(2);
    for (const target of ['1.5', 'cifar=0.9', 'mnist=']) {
      const bad = await cli('lab', '--target', target);
      expect(bad.code, target).toBe(2);
      expect(bad.err, target).toContain(
        `--target must be an accuracy in (0, 1] or dataset=accuracy pairs like mnist=0.98,fashion-mnist=0.88, received '${target}'`,
      );
    }
    const group = await cli('lab', '--group', 'bn', '--out', '/nonexistent/lab');
    expect(group.code).toBe(1);
    expect(group.err).toBe(
      "cnnlab: --group: unknown group 'bn'; known groups: regularization, activation, pooling, convolution, batchnorm, dropout, optimizer, skip, separable\n",
    );
  });
});
