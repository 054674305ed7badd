/**
 * End to end: `cnnlab lab --quick` on two groups (pooling and batchnorm: 6 distinct runs on MNIST), interrupted
 * during its third run and resumed; then the outputs are checked — the report's structure, and that every number it
 * prints (text, tables, verdicts, chart marks) is a number of results.json, rounded as printed.
 *
 * vitest.config.ts runs this file on the `wasm` project only: the reference kernels train the brief model at about
 * 20 images/s (25× slower than wasm), and the lab's code paths do not depend on the backend (training itself is
 * tested per backend elsewhere). The group-file, plan, statistics and verdict tests run on both.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { memory } from '../../src/engine.js';
import type { LabResults } from '../../src/lab/results.js';
import { Sequential } from '../../src/model/sequential.js';
import { runLab } from '../../src/node/lab/runner.js';
import { reportNumbers, unescapeHtml } from './report-numbers.js';

const GROUPS = ['pooling', 'batchnorm'];
let dir = '';
let results: LabResults;
let html = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-lab-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts the trainings actually started (calls of fit), independently of the runner's own counters. */
const countFits = (): { readonly calls: number } => {
  const spy = vi.spyOn(Sequential.prototype, 'fit');
  return {
    get calls() {
      return spy.mock.calls.length;
    },
  };
};

const runFiles = async (): Promise<string[]> =>
  (await readdir(path.join(dir, 'runs'))).filter((f) => f.endsWith('.json')).sort();

describe('cnnlab lab --quick', () => {
  it('an interrupted lab keeps its finished runs, refuses to start over, and --resume trains only the rest', async () => {
    const tensorsBefore = memory().numTensors;
    const controller = new AbortController();
    // A TTY view draws the third run's status line as it starts: interrupt there (its first batch then stops it).
    const stream = {
      isTTY: true,
      text: '',
      write(text: string) {
        this.text += text;
        if (text.includes('[3/6]')) controller.abort();
      },
    };
    const fits = countFits();
    const first = await runLab({ out: dir, quick: true, groups: GROUPS, view: { stream }, signal: controller.signal });
    expect(first).toMatchObject({ interrupted: true, trained: 2, resumed: 0 });
    expect(fits.calls).toBe(3); // two finished runs and the interrupted third
    expect(stream.text).toContain('Lab interrupted: 2 of 6 runs are finished and kept');
    const kept = await runFiles();
    expect(kept).toHaveLength(2);
    const keptText = await Promise.all(kept.map((f) => readFile(path.join(dir, 'runs', f), 'utf8')));
    const partial = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as LabResults;
    expect(partial).toMatchObject({ plannedRuns: 6, finishedRuns: 2 });
    expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toContain('Incomplete: 2 of 6 runs have finished');

    await expect(runLab({ out: dir, quick: true, groups: GROUPS, view: { quiet: true } })).rejects.toThrow(
      `lab: ${dir} already holds 2 finished runs; pass --resume`,
    );

    expect(fits.calls).toBe(3);
    const second = await runLab({ out: dir, quick: true, groups: GROUPS, resume: true, view: { quiet: true } });
    expect(second).toMatchObject({ interrupted: false, trained: 4, resumed: 2 });
    expect(fits.calls).toBe(3 + 4); // only the four unfinished runs were trained
    expect(await runFiles()).toHaveLength(6);
    // The kept runs were not trained again: their files are unchanged.
    expect(await Promise.all(kept.map((f) => readFile(path.join(dir, 'runs', f), 'utf8')))).toEqual(keptText);
    // Every run freed its model, optimizer state and data tensors.
    expect(memory().numTensors).toBe(tensorsBefore);

    results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as LabResults;
    html = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(results).toMatchObject({ plannedRuns: 6, finishedRuns: 6 });
    expect(results.backends).toHaveLength(1);
    expect(results.backends[0]).toMatch(/^wasm( \(\d+ threads\))?$/);
    expect(results.settings).toMatchObject({ quick: true, datasets: ['mnist'], seeds: [0], epochs: 2 });
  }, 120_000);

  it('results.json holds every run metric and per-variant summaries that agree with the runs', () => {
    for (const run of results.runs) {
      expect(run.history.val_accuracy).toHaveLength(2);
      expect(run.epochSeconds).toHaveLength(2);
      expect(run.metrics.testAccuracy).toBeGreaterThan(0.1); // above chance (10 classes) after 26 steps
      expect(run.metrics.params).toBe(run.params);
    }
    // Parameters (by hand): the brief model has 93,322; with batch norm, the convs and hidden dense lose their biases
    // (32 + 64 + 64 + 64) and gain γ, β, moving mean and variance (4 × 224).
    const params = Object.fromEntries(results.summaries.flatMap((s) => s.variants.map((v) => [v.variant, v.params])));
    expect(params.max).toBe(93322);
    expect(params.with).toBe(93322 - 224 + 4 * 224);
    for (const summary of results.summaries) {
      for (const v of summary.variants) {
        const tests = v.runs.map((k) => results.runs.find((r) => r.key === k)?.metrics.testAccuracy ?? Number.NaN);
        expect(v.testAccuracy.mean).toBeCloseTo(tests.reduce((a, b) => a + b, 0) / tests.length, 12);
      }
      expect(summary.verdicts[0]?.metric).toBe('testAccuracy');
    }
    const csv = async (name: string): Promise<string[]> =>
      (await readFile(path.join(dir, name), 'utf8')).trimEnd().split('\n');
    return Promise.all([csv('results.csv'), csv('summary.csv')]).then(([runs, summary]) => {
      expect(runs).toHaveLength(1 + 7); // pooling 3 + batchnorm 4 (the baseline row appears in both groups)
      expect(summary).toHaveLength(1 + 7);
    });
  });

  it('report.html is self-contained and has, per group, verdicts, three charts and a table', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
    expect(
      [...html.matchAll(/https?:\/\/[^"'\s)]+/g)].map((m) => m[0]).every((u) => u.startsWith('http://www.w3.org/')),
    ).toBe(true);
    const sections = [...html.matchAll(/<section class="group" id="group-([^"]+)"[^>]*>([\s\S]*?)<\/section>/g)];
    expect(sections.map((s) => s[1])).toEqual(GROUPS);
    for (const [, name, body = ''] of sections) {
      const group = results.groups.find((g) => g.name === name);
      expect(body).toContain(`<h2>${group?.title ?? '?'}</h2>`);
      for (const kind of ['learning-curves', 'test-accuracy', 'epoch-time']) {
        expect(body, `${name} ${kind}`).toMatch(new RegExp(`<figure class="chart ${kind}"><svg[\\s\\S]*?</svg>`));
      }
      const summary = results.summaries.find((s) => s.group === name);
      const verdict = /<p class="verdict" data-dataset="mnist">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? '';
      expect(unescapeHtml(verdict)).toBe(summary?.verdicts.map((v) => v.sentence).join(' '));
      const rows = [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)];
      expect(rows).toHaveLength(summary?.variants.length ?? -1);
      rows.forEach((row, i) => {
        const v = summary?.variants[i];
        const cells = [...(row[1] ?? '').matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => unescapeHtml(c[1] ?? ''));
        expect(cells[0]).toBe(v?.label);
        expect(cells[1]).toBe(`${((v?.testAccuracy.mean ?? Number.NaN) * 100).toFixed(2)}%`); // one seed: no ± part
      });
    }
  });

  it('every number in the report came from results.json', () => {
    const { printed, marks, untraced } = reportNumbers(html, results);
    expect(printed.length).toBeGreaterThan(50);
    expect(marks.length).toBeGreaterThan(20);
    expect(untraced).toEqual([]);
  });

  it('the CLI resumes a finished lab without training, re-judging it at another target; a bad groups file names the entry', async () => {
    const output = { out: '', err: '' };
    const io = {
      out: (t: string) => {
        output.out += t;
      },
      err: (t: string) => {
        output.err += t;
      },
    };
    const before = await Promise.all((await runFiles()).map((f) => readFile(path.join(dir, 'runs', f), 'utf8')));
    const fits = countFits();
    // The target accuracy is applied when results are summarized, so changing it retrains nothing.
    const code = await runCli(
      ['lab', '--quick', '--group', 'pooling,batchnorm', '--out', dir, '--resume', '--quiet', '--target', '0.5'],
      io,
    );
    expect(output.err).toBe('');
    expect(code).toBe(0);
    expect(fits.calls).toBe(0);
    expect(await Promise.all((await runFiles()).map((f) => readFile(path.join(dir, 'runs', f), 'utf8')))).toEqual(
      before,
    );
    const rejudged = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as LabResults;
    expect(rejudged.settings.targets.mnist).toBe(0.5);
    expect(rejudged.runs.map((r) => r.metrics.testAccuracy)).toEqual(results.runs.map((r) => r.metrics.testAccuracy));
    const verdicts = rejudged.summaries.flatMap((s) => s.verdicts.map((v) => `${s.group}: ${v.sentence}`));
    expect(output.out).toBe(`${verdicts.join('\n')}\nReport: ${dir}/report.html\n`);
    expect(output.out).toContain('50.00% validation accuracy');

    const bad = path.join(dir, 'groups.json');
    await writeFile(
      bad,
      JSON.stringify({ groups: [{ name: 'mine', variants: [{ name: 'big', model: { kernelSize: 0 } }] }] }),
    );
    output.err = '';
    expect(
      await runCli(['lab', '--quick', '--groups-file', bad, '--group', 'mine', '--out', dir, '--resume'], io),
    ).toBe(1);
    expect(output.err).toBe(
      `cnnlab: ${bad}: group 'mine', variant 'big': \`model.kernelSize\` must be a positive integer, received 0\n`,
    );
  }, 60_000);
});
