import { defineConfig } from 'vitest/config';

// Tests run on the backend named by GAN_BACKEND (default: cpu for exact, reproducible numbers).
// Files run in separate worker processes (forks): tfjs keeps global engine state per process.
// Two test files run at once on the 2-core CI machine, so wasm runs single-threaded in tests unless
// GAN_WASM_THREADS says otherwise (the threads tests ask for their thread count explicitly).
export default defineConfig({
  test: {
    env: { GAN_WASM_THREADS: process.env.GAN_WASM_THREADS ?? '1' },
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
