import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Service tests run on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set (.ci/run does both).
// The global setup builds the app once for the end-to-end tests that start `.output`.
export default defineConfig({
  resolve: {
    alias: {
      '#shared': fileURLToPath(new URL('./shared', import.meta.url)),
      '#server': fileURLToPath(new URL('./server', import.meta.url)),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's own default (1 s) is shorter than a screen's first load while another suite
    // is busy on the same two cores; a poll still fails when its condition never comes true.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // As `npm start` runs the app: PGlite's WebAssembly on V8's baseline compiler only (every test
    // file's worker would otherwise spend seconds of CPU optimizing PostgreSQL's code it runs briefly).
    execArgv: ['--liftoff-only'],
    maxWorkers: 2,
    reporters: ['default'],
  },
})
