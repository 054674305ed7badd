/** The page's pictures of the model: first-layer filters, the confusion matrix, mistakes and class probabilities. */
import type { Filters, Mistake } from './protocol.js';
import type { ModelSummary } from './settings.js';

/** A canvas showing a grayscale image (values in [0, 1]) at `scale`× with sharp pixels. */
function grayCanvas(values: ArrayLike<number>, width: number, height: number, scale: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = `${width * scale}px`;
  canvas.style.height = `${height * scale}px`;
  const context = canvas.getContext('2d');
  if (context === null) return canvas;
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(Math.min(1, Math.max(0, values[i] ?? 0)) * 255);
    image.data.set([v, v, v, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** Each filter of the first conv layer, its weights stretched to black (most negative) … white (most positive). */
export function renderFilters(container: HTMLElement, filters: Filters | null): void {
  if (filters === null) {
    container.replaceChildren('The first layer is not a convolution on one channel.');
    return;
  }
  const { kh, kw, count, values } = filters;
  const scale = Math.max(4, Math.round(36 / Math.max(kh, kw)));
  const canvases: HTMLCanvasElement[] = [];
  for (let k = 0; k < count; k++) {
    // Kernel layout [kh, kw, 1, count]: weight (i, j) of filter k is at (i·kw + j)·count + k.
    const w = Array.from({ length: kh * kw }, (_, p) => values[p * count + k] ?? 0);
    const lo = Math.min(...w);
    const hi = Math.max(...w);
    const canvas = grayCanvas(
      w.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5)),
      kw,
      kh,
      scale,
    );
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `filter ${k + 1}`);
    canvases.push(canvas);
  }
  container.replaceChildren(...canvases);
}

/** The confusion matrix as a table: rows are true classes, columns predictions, shaded by the row's share. */
export function renderConfusion(table: HTMLTableElement, counts: readonly (readonly number[])[]): void {
  const head = document.createElement('tr');
  head.append(Object.assign(document.createElement('th'), { textContent: 'true \\ predicted', scope: 'col' }));
  counts.forEach((_, p) =>
    head.append(Object.assign(document.createElement('th'), { textContent: String(p), scope: 'col' })),
  );
  const rows = counts.map((row, t) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { textContent: String(t), scope: 'row' }));
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((n, p) => {
      const td = document.createElement('td');
      td.textContent = String(n);
      const share = total === 0 ? 0 : n / total;
      // Right answers in green, wrong ones in red, stronger for a larger share of the row.
      const hue = t === p ? 140 : 0;
      td.style.background = n === 0 ? '' : `hsl(${hue} 70% ${Math.round(96 - share * (t === p ? 50 : 200))}%)`;
      td.title = `${n} images of ${t} classified as ${p}`;
      tr.append(td);
    });
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

/** The most confident mistakes, each captioned "true → predicted (confidence)". */
export function renderMistakes(container: HTMLElement, mistakes: readonly Mistake[]): void {
  if (mistakes.length === 0) {
    container.replaceChildren('No mistakes on the validation images.');
    return;
  }
  container.replaceChildren(
    ...mistakes.map((m) => {
      const figure = document.createElement('figure');
      const canvas = grayCanvas(
        Array.from(m.pixels, (v) => v / 255),
        28,
        28,
        2,
      );
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `a ${m.label} classified as ${m.predicted}`);
      const caption = document.createElement('figcaption');
      caption.textContent = `${m.label}→${m.predicted} ${Math.round(m.confidence * 100)}%`;
      figure.append(canvas, caption);
      return figure;
    }),
  );
}

/** Ten bars of class probabilities; the most probable class is marked and stored in `data-predicted`. */
export function renderProbabilities(list: HTMLElement, probabilities: readonly number[]): void {
  const best = topClass(probabilities)?.digit ?? -1;
  list.dataset.predicted = best < 0 ? '' : String(best);
  list.replaceChildren(
    ...Array.from({ length: 10 }, (_, k) => {
      const p = probabilities[k] ?? 0;
      const item = document.createElement('li');
      item.className = k === best ? 'best' : '';
      const label = Object.assign(document.createElement('span'), { className: 'digit', textContent: String(k) });
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${(p * 100).toFixed(1)}%`;
      const value = Object.assign(document.createElement('span'), {
        className: 'value',
        textContent: `${(p * 100).toFixed(1)}%`,
      });
      item.append(label, bar, value);
      item.setAttribute('aria-label', `${k}: ${(p * 100).toFixed(1)} percent`);
      return item;
    }),
  );
}

/** Probability of the top class, for the screen-reader status line. */
export function topClass(probabilities: readonly number[]): { digit: number; probability: number } | null {
  if (probabilities.length === 0) return null;
  let digit = 0;
  probabilities.forEach((p, k) => {
    if (p > (probabilities[digit] ?? 0)) digit = k;
  });
  return { digit, probability: probabilities[digit] ?? 0 };
}

/** The model summary as a table (layer, output shape, parameters, totals), or the reason the settings give no model. */
export function renderSummary(
  container: HTMLElement,
  result: { readonly summary: ModelSummary } | { readonly problem: string },
): void {
  container.classList.toggle('problem', 'problem' in result);
  if ('problem' in result) {
    container.replaceChildren(
      Object.assign(document.createElement('p'), { textContent: `These settings give no model: ${result.problem}` }),
    );
    return;
  }
  const { summary } = result;
  const count = (n: number): string => n.toLocaleString('en-US');
  const cell = (tag: 'td' | 'th', text: string, className = ''): HTMLElement =>
    Object.assign(document.createElement(tag), { textContent: text, className });
  const table = document.createElement('table');
  table.createCaption().textContent = `Model "${summary.name}"`;
  const head = document.createElement('tr');
  head.append(cell('th', 'Layer (type)'), cell('th', 'Output shape'), cell('th', 'Params', 'number'));
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const row of summary.rows) {
    const tr = document.createElement('tr');
    const name = cell('td', row.name);
    name.append(
      ' ',
      Object.assign(document.createElement('span'), { textContent: `(${row.type})`, className: 'type' }),
    );
    tr.append(name, cell('td', row.shape), cell('td', count(row.params), 'number'));
    body.append(tr);
  }
  const foot = table.createTFoot();
  for (const [label, value] of [
    ['Total params', summary.total],
    ['Trainable', summary.trainable],
    ['Non-trainable', summary.total - summary.trainable],
  ] as const) {
    const tr = document.createElement('tr');
    const th = cell('th', label);
    th.setAttribute('colspan', '2');
    tr.append(th, cell('td', count(value), 'number'));
    foot.append(tr);
  }
  container.replaceChildren(table);
}
