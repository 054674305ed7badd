/**
 * Vite configuration of the playground: `npm run playground` serves web/ with it, `npm run build:web` writes the static
 * site to dist-web/. Both servers send the two headers that make the page cross-origin isolated (needed for
 * SharedArrayBuffer, so for WebAssembly threads); a static host should send them too, and the page works without.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the build works from any folder of any static server.
  base: './',
  publicDir: here('public'),
  server: { headers: isolation, fs: { allow: [here('..')] } },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { outDir: here('../dist-web'), emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
});
