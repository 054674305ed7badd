/** `cnnlab predict`: the top classes, with probabilities, for PNG images. */
import { ConfigError, data, type LoadLimits, quote, readRegularFile, tensor } from '../node/index.js';
import { loadSavedModel } from './saved-model.js';

/** The image as the model's input expects it: its height, width and channels. */
function fit(image: data.Image, height: number, width: number, channels: number, file: string): Float32Array {
  if (channels !== 1 && channels !== 3)
    throw new ConfigError(undefined, `the model expects ${channels} channels; predict handles 1 or 3 (${file})`);
  const colored = data.toChannels(image, channels);
  return (colored.height === height && colored.width === width ? colored : data.resizeBilinear(colored, height, width))
    .data;
}

export async function predictCommand(
  location: string,
  files: readonly string[],
  top: number,
  log: (line: string) => void,
  limits: LoadLimits = {},
): Promise<{ file: string; classes: { label: string; probability: number }[] }[]> {
  const { model, classNames } = await loadSavedModel(location, limits);
  const [, height = 0, width = 0, channels = 0] = model.inputShape;
  const results = [];
  for (const file of files) {
    // Only a regular file: /dev/zero or a FIFO given as an image must not be read (forever).
    const bytes = await readRegularFile(file, data.MAX_PNG_FILE_BYTES, 'predict', `image ${quote(file)}`);
    const pixels = fit(data.decodePng(bytes, file), height ?? 0, width ?? 0, channels ?? 0, file);
    const probabilities = model.predict(tensor(pixels, [1, height ?? 0, width ?? 0, channels ?? 0])).dataSync();
    const ranked = Array.from(probabilities, (p, i) => ({ label: classNames?.[i] ?? String(i), probability: p }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, top);
    log(`${file}: ${ranked.map((r) => `${r.label} ${(r.probability * 100).toFixed(1)}%`).join(', ')}`);
    results.push({ file, classes: ranked });
  }
  return results;
}
