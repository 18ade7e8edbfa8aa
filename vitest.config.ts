import { defineConfig } from 'vitest/config';

// Tests run on the backend named by GAN_BACKEND (default: cpu for exact, reproducible numbers).
// Files run in separate worker processes (forks): tfjs keeps global engine state per process.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
