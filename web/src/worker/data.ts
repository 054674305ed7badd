/**
 * The playground's MNIST subset: the IDX files that scripts/build-mnist-web.mjs writes (gzip-compressed) fetched from
 * the page's own origin, decompressed with the browser's DecompressionStream and parsed by the library's
 * `data.mnistFromIdx`, so the page reads MNIST with the same code as Node.
 */
import { data, tensor, type Tensor } from '../../../src/index.js';

export interface PlaygroundData {
  readonly xTrain: Tensor;
  readonly yTrain: Tensor;
  readonly xVal: Tensor;
  readonly yVal: Tensor;
  /** Validation labels and pixels on the host, for the confusion matrix and the pictures of mistakes. */
  readonly valLabels: Float32Array;
  readonly valPixels: Float32Array;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** The file's bytes, gunzipped unless the server already decoded them (a host that sends Content-Encoding: gzip). */
async function fetchIdx(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(
      `playground: fetching ${url} failed (HTTP ${response.status}); \`npm run playground\` and \`npm run build:web\` write these files`,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function loadSplit(baseUrl: string, prefix: 'train' | 'test'): Promise<data.Dataset> {
  const [images, labels] = await Promise.all([
    fetchIdx(new URL(`${prefix}-images-idx3-ubyte.gz`, baseUrl).href),
    fetchIdx(new URL(`${prefix}-labels-idx1-ubyte.gz`, baseUrl).href),
  ]);
  return data.mnistFromIdx(images, labels, `playground ${prefix}`);
}

/** Loads the training subset and the validation images (MNIST's test set) from `baseUrl` (ending in '/'). */
export async function loadPlaygroundData(baseUrl: string): Promise<PlaygroundData> {
  const [train, test] = await Promise.all([loadSplit(baseUrl, 'train'), loadSplit(baseUrl, 'test')]);
  return {
    xTrain: tensor(train.x, train.xShape),
    yTrain: tensor(train.y, [train.y.length]),
    xVal: tensor(test.x, test.xShape),
    yVal: tensor(test.y, [test.y.length]),
    valLabels: test.y,
    valPixels: test.x,
  };
}
