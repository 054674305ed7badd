/**
 * Preloaded (`node --import`) into the end-to-end training run: writes the process's peak resident set size in KiB
 * to the file named by CNNLAB_RSS_FILE when the process exits.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.CNNLAB_RSS_FILE;
process.on('exit', () => {
  if (file !== undefined) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
