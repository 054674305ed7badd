import { configDefaults, defineConfig } from 'vitest/config';

/** The whole suite runs once per backend: `wasm` (the default) and `js` (the reference). */
const backends = ['wasm', 'js'] as const;

/** The playground test drives a real browser, whose backend does not depend on the Node-side project: run it once. */
const browserTests = ['test/web/playground.test.ts'];

/**
 * End-to-end tests that train for many steps, run on `wasm` only: the reference kernels train the brief model about
 * 50× slower, and these tests exercise no backend-specific code (training itself is tested on every backend). The
 * kill test's child processes run the wasm backend whatever the project.
 */
const wasmOnlyTests = ['test/lab/lab.test.ts', 'test/checkpoint/kill.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      ...backends.map((backend) => ({
        extends: true as const,
        test: {
          name: backend,
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...browserTests, ...(backend === 'wasm' ? [] : wasmOnlyTests)],
          setupFiles: ['test/setup/backend.ts'],
          env: { CNNLAB_BACKEND: backend },
        },
      })),
      {
        extends: true as const,
        test: {
          name: 'browser',
          include: browserTests,
          setupFiles: ['test/setup/backend.ts'],
          env: { CNNLAB_BACKEND: 'wasm' },
        },
      },
    ],
  },
});
