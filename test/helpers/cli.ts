/** Running the `cnnlab` command in-process for tests. */
import { runCli } from '../../src/cli/program.js';

/** Runs the CLI in-process, capturing what it writes. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}
