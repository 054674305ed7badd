import { defineConfig } from 'vitest/config';

/** The whole suite runs once per backend: `wasm` (the default) and `js` (the reference). */
const backends = ['wasm', 'js'] as const;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: backends.map((backend) => ({
      extends: true,
      test: {
        name: backend,
        include: ['test/**/*.test.ts'],
        setupFiles: ['test/setup/backend.ts'],
        env: { CNNLAB_BACKEND: backend },
      },
    })),
  },
});
