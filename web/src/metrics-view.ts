/** The live numbers and charts of a training run: what the worker reports, kept and drawn (at most once a frame). */
import { drawChart } from './chart.js';
import { byId } from './controls.js';
import type { FromWorker } from './protocol.js';

type Point = readonly [number, number];
type Progress = Extract<FromWorker, { type: 'progress' }>;
type Validation = Extract<FromWorker, { type: 'validation' }>;

const TRAIN_COLOR = '#2563eb';
const VALIDATION_COLOR = '#dc2626';
const SPEED_COLOR = '#059669';

const percent = (v: number): string => `${(v * 100).toFixed(1)}%`;

export class MetricsView {
  private trainLoss: Point[] = [];
  private trainAccuracy: Point[] = [];
  private valLoss: Point[] = [];
  private valAccuracy: Point[] = [];
  private speed: Point[] = [];
  private frame = 0;
  private readonly lossChart = byId('chart-loss', SVGSVGElement);
  private readonly accuracyChart = byId('chart-accuracy', SVGSVGElement);
  private readonly speedChart = byId('chart-speed', SVGSVGElement);
  private readonly progressBar = byId('epoch-progress', HTMLProgressElement);

  constructor() {
    this.draw();
  }

  clear(): void {
    this.trainLoss = [];
    this.trainAccuracy = [];
    this.valLoss = [];
    this.valAccuracy = [];
    this.speed = [];
    for (const id of [
      'stat-epoch',
      'stat-images',
      'stat-loss',
      'stat-accuracy',
      'stat-val-loss',
      'stat-val-accuracy',
      'stat-speed',
    ]) {
      byId(id, HTMLElement).textContent = '–';
    }
    byId('stat-val-accuracy', HTMLElement).dataset.value = '';
    this.progressBar.value = 0;
    this.schedule();
  }

  progress(p: Progress): void {
    this.trainLoss.push([p.x, p.loss]);
    this.trainAccuracy.push([p.x, p.accuracy]);
    this.speed.push([p.x, p.imagesPerSecond]);
    byId('stat-epoch', HTMLElement).textContent = `${Math.min(Math.floor(p.x) + 1, p.epochs)} of ${p.epochs}`;
    byId('stat-images', HTMLElement).textContent = p.imagesSeen.toLocaleString('en-US');
    byId('stat-loss', HTMLElement).textContent = p.loss.toFixed(4);
    byId('stat-accuracy', HTMLElement).textContent = percent(p.accuracy);
    byId('stat-speed', HTMLElement).textContent = Math.round(p.imagesPerSecond).toLocaleString('en-US');
    this.progressBar.value = Math.min(1, p.x / p.epochs);
    this.schedule();
  }

  validation(v: Validation): void {
    this.valLoss.push([v.x, v.loss]);
    this.valAccuracy.push([v.x, v.accuracy]);
    byId('stat-val-loss', HTMLElement).textContent = v.loss.toFixed(4);
    const accuracy = byId('stat-val-accuracy', HTMLElement);
    accuracy.textContent = percent(v.accuracy);
    accuracy.dataset.value = String(v.accuracy);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const xLabel = 'epochs';
    drawChart(
      this.lossChart,
      [
        { name: 'train', color: TRAIN_COLOR, points: this.trainLoss },
        { name: 'validation', color: VALIDATION_COLOR, dashed: true, points: this.valLoss },
      ],
      { xLabel, formatY: (v) => v.toFixed(v < 1 ? 2 : 1) },
    );
    drawChart(
      this.accuracyChart,
      [
        { name: 'train', color: TRAIN_COLOR, points: this.trainAccuracy },
        { name: 'validation', color: VALIDATION_COLOR, dashed: true, points: this.valAccuracy },
      ],
      { xLabel, yRange: [0, 1], formatY: (v) => `${Math.round(v * 100)}%` },
    );
    drawChart(this.speedChart, [{ name: 'images/s', color: SPEED_COLOR, points: this.speed }], {
      xLabel,
      formatY: (v) => String(Math.round(v)),
    });
  }
}
