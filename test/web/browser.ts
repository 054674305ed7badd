/**
 * Helpers of the playground's end-to-end test: build and serve the page (Vite), start Debian's Chromium through
 * playwright-core, draw strokes on the page's canvas with a mouse or a finger.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumInstalled = existsSync(CHROMIUM);

/** The flags the project runs Chromium with: headless, as root in CI, and quiet (no network of its own). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CONFIG = path.resolve('web/vite.config.ts');

export interface Site {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Builds the page as `npm run build:web` does (the MNIST subset, then Vite) into a fresh temporary folder and serves
 * it with `vite preview` on a free localhost port, with the playground's COOP/COEP headers.
 */
export async function buildAndServe(): Promise<Site> {
  execFileSync(process.execPath, ['scripts/build-mnist-web.mjs'], { stdio: 'inherit' });
  const outDir = await mkdtemp(path.join(tmpdir(), 'cnnlab-web-'));
  await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  let server: PreviewServer;
  try {
    server = await preview({
      configFile: CONFIG,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, open: false },
    });
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview gave no local URL');
  return {
    url,
    close: async () => {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** A point on the canvas, as fractions of its width and height. */
export type Stroke = readonly (readonly [number, number])[];

export const DIGIT_SEVEN: Stroke = [
  [0.25, 0.2],
  [0.75, 0.2],
  [0.45, 0.85],
];
export const DIGIT_ZERO: Stroke = Array.from({ length: 33 }, (_, i): [number, number] => [
  0.5 + 0.22 * Math.sin((i / 32) * 2 * Math.PI),
  0.5 - 0.32 * Math.cos((i / 32) * 2 * Math.PI),
]);

async function padBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const pad = page.locator('#pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (box === null) throw new Error('the drawing pad is not visible');
  return box;
}

/** Draws a stroke with the mouse. */
export async function drawWithMouse(page: Page, stroke: Stroke): Promise<void> {
  const box = await padBox(page);
  const at = ([x, y]: readonly [number, number]): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  const [first, ...rest] = stroke.map(at);
  if (first === undefined) return;
  await page.mouse.move(...first);
  await page.mouse.down();
  for (const point of rest) await page.mouse.move(...point, { steps: 4 });
  await page.mouse.up();
}

/** Draws a stroke with one finger (touch events through the DevTools protocol, as a phone's screen sends them). */
export async function drawWithTouch(context: BrowserContext, page: Page, stroke: Stroke): Promise<void> {
  const box = await padBox(page);
  const cdp = await context.newCDPSession(page);
  const touch = ([x, y]: readonly [number, number]): { x: number; y: number }[] => [
    { x: box.x + x * box.width, y: box.y + y * box.height },
  ];
  const [first, ...rest] = stroke;
  if (first === undefined) return;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: touch(first) });
  // Intermediate points along each segment, as a finger reports them.
  let previous = first;
  for (const point of rest) {
    for (let i = 1; i <= 6; i++) {
      const t = i / 6;
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: touch([previous[0] + (point[0] - previous[0]) * t, previous[1] + (point[1] - previous[1]) * t]),
      });
    }
    previous = point;
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** The digit the page predicts for what is on the pad, once the worker has answered. */
export async function predictedDigit(page: Page): Promise<number> {
  const list = page.locator('#probabilities[data-pending="false"]:not([data-predicted=""])');
  await list.waitFor({ timeout: 15_000 });
  return Number(await list.getAttribute('data-predicted'));
}
