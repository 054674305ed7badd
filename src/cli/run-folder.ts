/** A run folder: where `cnnlab train` puts a run in `--out`, and what makes a folder a run. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, quote } from '../node/index.js';

/** The folder inside a run folder that holds its checkpoint. */
export const CHECKPOINT_DIR = 'checkpoint';

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

/** The files a run folder holds; a folder with any of them is a run. */
const RUN_FILES = ['model.json', 'weights.bin', 'metrics.json', 'history.csv', 'classes.json', CHECKPOINT_DIR];

async function holdsRun(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => []);
  return names.some((name) => RUN_FILES.includes(name));
}

/**
 * The folder for a new run in `--out`: `--run-name` (one folder name; an existing run is refused without
 * `--overwrite`), or `<base>-<time>` with a `-2`, `-3`… suffix if a run of that name exists.
 */
export async function newRunDir(
  outFlag: string,
  runName: string | undefined,
  overwrite: boolean,
  base: string,
): Promise<string> {
  const out = path.resolve(outFlag);
  if (runName === undefined) {
    const name = `${base}-${timestamp()}`;
    for (let n = 1; ; n++) {
      const dir = path.join(out, n === 1 ? name : `${name}-${n}`);
      if (!(await holdsRun(dir))) return dir;
    }
  }
  const name = runName;
  if (name === '' || name === '.' || name === '..' || name !== path.basename(name) || /[/\\\0]/.test(name))
    throw new ConfigError(
      undefined,
      `--run-name must be one folder name inside --out (no '/', '\\', '.' or '..'), received ${quote(name)}`,
    );
  const dir = path.join(out, name);
  if (!overwrite && (await holdsRun(dir)))
    throw new ConfigError(
      undefined,
      `--run-name ${quote(name)}: ${dir} already holds a run; choose another name or pass --overwrite to replace it`,
    );
  return dir;
}
