/**
 * The playground end to end, in Debian's headless Chromium driven by playwright-core: the built page (served by
 * `vite preview` with the COOP/COEP headers) trains the brief's CNN in its worker until validation accuracy passes
 * 90 %, recognizes digits drawn with a mouse, and its downloaded model is a real TensorFlow.js layers model that the
 * Node library loads and scores the same; loaded back into the page (on a phone-sized screen, drawn with a finger), it
 * gives the same accuracy. Screenshots and the model files are kept in test-artifacts/playground/.
 *
 * Skipped only where /usr/bin/chromium is missing (.ci/run installs it, so CI runs it).
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { take } from '../../src/data/dataset.js';
import { getBackend, setBackend, tensor } from '../../src/index.js';
import { loadLayersModel, loadMnist } from '../../src/node/index.js';
import {
  buildAndServe,
  chromiumInstalled,
  CHROMIUM,
  DIGIT_SEVEN,
  DIGIT_ZERO,
  drawWithMouse,
  drawWithTouch,
  launchChromium,
  predictedDigit,
  type Site,
} from './browser.js';

const ARTIFACTS = path.resolve('test-artifacts/playground');

if (!chromiumInstalled) {
  console.warn(
    `SKIPPED test/web/playground.test.ts: ${CHROMIUM} is missing. Install it with \`apt-get install -y chromium\` (.ci/run does).`,
  );
}

/** The validation accuracy the page shows (its `data-value`), or NaN before the first validation. */
async function validationAccuracy(page: Page): Promise<number> {
  const value = await page.getAttribute('#stat-val-accuracy', 'data-value');
  return value === null || value === '' ? Number.NaN : Number(value);
}

/** Runs `fn` with `name` as the library's backend in this process, then restores the previous one. */
async function onBackend<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = getBackend().name;
  setBackend(name);
  try {
    return await fn();
  } finally {
    setBackend(previous);
  }
}

async function totalParams(page: Page): Promise<string> {
  return (await page.locator('#summary tfoot tr').first().locator('td').textContent()) ?? '';
}

describe.skipIf(!chromiumInstalled)(`the playground in headless Chromium (${CHROMIUM})`, () => {
  let site: Site;
  let browser: Browser;
  let downloads: string;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    downloads = await mkdtemp(path.join(tmpdir(), 'cnnlab-downloads-'));
    site = await buildAndServe();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (downloads !== undefined) await rm(downloads, { recursive: true, force: true });
  });

  it('trains past 90 % validation accuracy, reads drawn digits, and downloads a model that Node and the page load back', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const opened = performance.now();
    await page.goto(site.url);
    await page.locator('#start:enabled').waitFor({ timeout: 30_000 });
    const loadSeconds = (performance.now() - opened) / 1000;

    // Cross-origin isolated (the preview server's COOP/COEP headers), training on the WebAssembly backend.
    expect(await page.evaluate('crossOriginIsolated')).toBe(true);
    expect(await page.textContent('#environment')).toContain(
      '10,000 training and 2,000 validation images (MNIST) · backend: wasm',
    );
    // Every form control has a label.
    expect(
      await page.evaluate(
        '[...document.querySelectorAll("input, select")].filter((e) => e.labels.length === 0).map((e) => e.id)',
      ),
    ).toEqual([]);

    // The summary follows the controls. The brief's model has 93,322 parameters (README, Keras). Batch norm after the
    // three convs and the hidden dense layer adds 4 per channel, 4·(32 + 64 + 64 + 64) = 896, and drops their
    // biases, 224: 93,994. A 7×7 'valid' kernel leaves the third conv a 1×1 input: no model, and Start is disabled.
    expect(await totalParams(page)).toBe('93,322');
    await page.check('#batch-norm');
    expect(await totalParams(page)).toBe('93,994');
    await page.uncheck('#batch-norm');
    await page.selectOption('#kernel-size', '7');
    await expect.poll(() => page.textContent('#summary')).toContain('These settings give no model');
    expect(await page.isDisabled('#start')).toBe(true);
    await page.selectOption('#kernel-size', '3');
    expect(await totalParams(page)).toBe('93,322');

    // Adam at 0.003 with batches of 32 passes 90 % within about 3,000 images (see the report's timings).
    await page.fill('#learning-rate', '0.003');
    await page.selectOption('#batch-size', '32');
    await page.click('#start');
    const started = performance.now();
    await expect.poll(() => validationAccuracy(page), { timeout: 120_000, interval: 250 }).toBeGreaterThan(0.9);
    const trainSeconds = (performance.now() - started) / 1000;
    expect(Number((await page.textContent('#stat-speed'))?.replace(/,/g, ''))).toBeGreaterThan(0);
    // The training figures (from fit's per-batch `batch_loss` and `batch_accuracy`, with dropout at work) describe a
    // model that has learnt: loss below a uniform guess's ln 10 ≈ 2.30, accuracy far above chance (10 %).
    const trainLoss = Number(await page.textContent('#stat-loss'));
    expect(trainLoss).toBeGreaterThan(0);
    expect(trainLoss).toBeLessThan(Math.log(10));
    const trainAccuracy = Number((await page.textContent('#stat-accuracy'))?.replace('%', ''));
    expect(trainAccuracy).toBeGreaterThan(30);
    expect(trainAccuracy).toBeLessThanOrEqual(100);
    await page.screenshot({ path: path.join(ARTIFACTS, 'training.png'), fullPage: true });

    // Pause from the keyboard; the page validates the paused weights, so its numbers describe the downloaded model.
    await page.focus('#pause');
    await page.keyboard.press('Enter');
    await page.locator('body[data-state="paused"]').waitFor({ timeout: 30_000 });
    const pausedAccuracy = await validationAccuracy(page);
    expect(pausedAccuracy).toBeGreaterThan(0.85);

    await drawWithMouse(page, DIGIT_SEVEN);
    expect(await predictedDigit(page)).toBe(7);
    await page.locator('#draw').screenshot({ path: path.join(ARTIFACTS, 'drawn-seven.png') });
    await page.click('#clear');
    await drawWithMouse(page, DIGIT_ZERO);
    expect(await predictedDigit(page)).toBe(0);
    await page.locator('#draw').screenshot({ path: path.join(ARTIFACTS, 'drawn-zero.png') });

    // Download: model.json + weights.bin, TensorFlow.js layers-model files.
    const files = new Map<string, string>();
    const twoDownloads = new Promise<void>((resolve) => {
      page.on('download', (download) => {
        const target = path.join(downloads, download.suggestedFilename());
        void download.saveAs(target).then(() => {
          files.set(download.suggestedFilename(), target);
          if (files.size === 2) resolve();
        });
      });
    });
    await page.click('#download');
    await twoDownloads;
    const modelJsonPath = files.get('model.json') ?? '';
    const weightsPath = files.get('weights.bin') ?? '';
    const modelJson: unknown = JSON.parse(await readFile(modelJsonPath, 'utf8'));
    expect(modelJson).toMatchObject({
      format: 'layers-model',
      modelTopology: { class_name: 'Sequential' },
      weightsManifest: [{ paths: ['weights.bin'] }],
    });
    // 93,322 float32 parameters.
    expect((await readFile(weightsPath)).byteLength).toBe(93_322 * 4);
    await copyFile(modelJsonPath, path.join(ARTIFACTS, 'model.json'));
    await copyFile(weightsPath, path.join(ARTIFACTS, 'weights.bin'));

    // The Node library loads the files and scores the same 2,000 validation images (MNIST's first test images) as the
    // page did, on the page's backend (wasm; in this file's js project too, where js would take a minute); float
    // differences between runtimes may flip a near tie, hence 1 image of tolerance.
    const scored = await onBackend('wasm', async () => {
      const model = await loadLayersModel(modelJsonPath);
      const test = take(await loadMnist({ split: 'test' }), 2000);
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      return model.evaluate(tensor(test.x, test.xShape), tensor(test.y, [2000]), { batchSize: 250 }).accuracy ?? 0;
    });
    expect(Math.abs(scored - pausedAccuracy)).toBeLessThanOrEqual(1 / 2000);

    // On a phone-sized screen with touch: nothing overflows sideways, the files load back with the same accuracy,
    // and a digit drawn with a finger is read.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const mobile = await phone.newPage();
    mobile.on('pageerror', (error) => pageErrors.push(error.message));
    await mobile.goto(site.url);
    await mobile.locator('#load-files:enabled').waitFor({ timeout: 30_000 });
    expect(await mobile.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await mobile.setInputFiles('#load-files', [modelJsonPath, weightsPath]);
    await expect.poll(() => validationAccuracy(mobile), { timeout: 30_000 }).toBe(pausedAccuracy);
    expect(await mobile.textContent('#status')).toContain("Loaded 'brief'");
    await drawWithTouch(phone, mobile, DIGIT_SEVEN);
    expect(await predictedDigit(mobile)).toBe(7);
    await mobile.screenshot({ path: path.join(ARTIFACTS, 'phone.png'), fullPage: true });

    // Resume trains on from where it paused; Reset discards the model.
    const seenWhenPaused = await page.textContent('#stat-images');
    await page.click('#resume');
    await expect.poll(() => page.textContent('#stat-images'), { timeout: 30_000 }).not.toBe(seenWhenPaused);
    await page.click('#reset');
    await page.locator('body[data-state="idle"]').waitFor({ timeout: 30_000 });
    expect(await page.isDisabled('#download')).toBe(true);
    expect(pageErrors).toEqual([]);
    console.log(
      `playground e2e: page ready in ${loadSeconds.toFixed(1)} s; validation accuracy ${(pausedAccuracy * 100).toFixed(1)} % ` +
        `(> 90 % after ${trainSeconds.toFixed(1)} s of training); Node scored the download ${(scored * 100).toFixed(1)} %`,
    );
    await phone.close();
    await context.close();
  }, 240_000);
});
