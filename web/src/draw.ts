/**
 * The drawing pad: a canvas that takes strokes from a mouse, a finger or a pen (pointer events), reads the ink back as
 * values in [0, 1] (the canvas' alpha), and can show an MNIST image. The page pre-processes the ink like MNIST.
 */

export class DrawingPad {
  private readonly context: CanvasRenderingContext2D;
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private lastNotice = 0;

  /** `onInk` runs while drawing (at most every `everyMs`) and when a stroke ends. */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onInk: () => void,
    private readonly everyMs = 120,
  ) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('DrawingPad: this browser gives no 2D canvas context');
    this.context = context;
    canvas.addEventListener('pointerdown', (event) => this.begin(event));
    canvas.addEventListener('pointermove', (event) => this.move(event));
    canvas.addEventListener('pointerup', () => this.end());
    canvas.addEventListener('pointercancel', () => this.end());
  }

  private point(event: PointerEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * this.canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * this.canvas.height) / rect.height,
    };
  }

  private begin(event: PointerEvent): void {
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.drawing = true;
    this.last = this.point(event);
    this.stroke(this.last, this.last);
  }

  private move(event: PointerEvent): void {
    if (!this.drawing || this.last === null) return;
    const next = this.point(event);
    this.stroke(this.last, next);
    this.last = next;
    const now = performance.now();
    if (now - this.lastNotice >= this.everyMs) {
      this.lastNotice = now;
      this.onInk();
    }
  }

  private end(): void {
    if (!this.drawing) return;
    this.drawing = false;
    this.last = null;
    this.onInk();
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const c = this.context;
    // About MNIST's stroke: 2 px of 28 once the digit is scaled to its 20-pixel box.
    c.lineWidth = this.canvas.width / 14;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.strokeStyle = '#fff';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
  }

  clear(): void {
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Ink per pixel in [0, 1], row-major, canvas.width × canvas.height. */
  ink(): Float32Array {
    const { data } = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
    const out = new Float32Array(this.canvas.width * this.canvas.height);
    for (let i = 0; i < out.length; i++) out[i] = (data[i * 4 + 3] ?? 0) / 255;
    return out;
  }

  /** Shows a 28×28 image (values in [0, 1]) scaled to the canvas. */
  show(pixels: Float32Array): void {
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    const smallContext = small.getContext('2d');
    if (smallContext === null) return;
    const image = smallContext.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      image.data.set([255, 255, 255, Math.round((pixels[i] ?? 0) * 255)], i * 4);
    }
    smallContext.putImageData(image, 0, 0);
    this.clear();
    this.context.imageSmoothingEnabled = true;
    this.context.drawImage(small, 0, 0, this.canvas.width, this.canvas.height);
  }
}
