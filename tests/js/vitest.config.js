import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/js/**/*.test.js'],
    testTimeout: 300000,
    hookTimeout: 120000,
    // One worker: the machine has 2 cores shared by everyone.
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
