/** Finding and loading a saved model from a run folder or a model.json path, with the run's class names. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type LayersModel, loadLayersModel, type LoadLimits, readRegularText } from '../node/index.js';

/** classes.json larger than this is ignored, as a missing or malformed one is. */
const MAX_CLASSES_BYTES = 16 * 1024 * 1024;

/** The model.json a path points at: the path itself, or `<dir>/model.json` for a run folder. */
export async function modelJsonPath(location: string): Promise<string> {
  const info = await stat(location).catch(() => null);
  if (info === null)
    throw new ConfigError(undefined, `no model at '${location}': expected a run folder or a model.json file`);
  return info.isDirectory() ? path.join(location, 'model.json') : location;
}

/** The model at `location` (a run folder or a model.json); `limits` as loadLayersModel takes them. */
export async function loadSavedModel(
  location: string,
  limits: LoadLimits = {},
): Promise<{ model: LayersModel; classNames: readonly string[] | null }> {
  const jsonPath = await modelJsonPath(location);
  const model = await loadLayersModel(jsonPath, limits);
  const classesPath = path.join(path.dirname(jsonPath), 'classes.json');
  const classNames = await readRegularText(classesPath, MAX_CLASSES_BYTES, classesPath, 'classes.json')
    .then((text) => {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) && parsed.every((n) => typeof n === 'string') ? parsed : null;
    })
    .catch(() => null);
  return { model, classNames };
}
