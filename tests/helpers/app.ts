import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createPostgresDatabase, engine } from './db'
import { freePort } from './postgres'
import { START_NODE_ARGS, appStartEnv } from './start-command'

const root = resolve(import.meta.dirname, '../..')

/** Every app process a test started: killed when the test worker exits, even after a timed-out test. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export { freePort }

/** The METRICS_TOKEN every test app gets (production requires one); send `metricsHeaders` to read /metrics. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789'
export const metricsHeaders = { authorization: `Bearer ${TEST_METRICS_TOKEN}` }

export interface RunningApp {
  url: string
  port: number
  dataDir: string
  databaseUrl?: string
  process: ChildProcess
  /** Everything the process printed so far (stdout + stderr). */
  output(): string
  /** JSON log lines parsed from stdout. */
  logs(): Record<string, unknown>[]
  exited: Promise<number | null>
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

interface StartOptions {
  env?: Record<string, string | undefined>
  /** Reuse a data dir / database (restart scenarios); a fresh one otherwise. */
  dataDir?: string
  databaseUrl?: string
  waitForReady?: boolean
  timeoutMs?: number
}

/**
 * Starts the built app exactly as the Docker image does (`node [npm start's flags] .output/server/index.mjs`), on a
 * free port, with its own data dir and (when testing on PostgreSQL) its own database.
 */
export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const port = await freePort()
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tma-app-'))
  let databaseUrl = options.databaseUrl
  let dropDatabase: (() => Promise<void>) | undefined
  if (!databaseUrl && engine === 'postgres' && !('DATABASE_URL' in (options.env ?? {}))) {
    const created = await createPostgresDatabase()
    databaseUrl = created.url
    dropDatabase = created.drop
  }
  const env = appStartEnv({ port, dataDir, databaseUrl, metricsToken: TEST_METRICS_TOKEN, extra: { NITRO_SHUTDOWN_TIMEOUT: '15000', ...options.env } })
  const child = spawn(process.execPath, [...START_NODE_ARGS, resolve(root, '.output/server/index.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)))
  const url = `http://127.0.0.1:${port}`
  const app: RunningApp = {
    url,
    port,
    dataDir,
    databaseUrl,
    process: child,
    output: () => output,
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line)),
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const code = await exited
      await dropDatabase?.()
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
      return code
    },
  }
  // APP_READY_TIMEOUT_MS: a slower start on a loaded machine (the test's own hook timeout must allow it too).
  if (options.waitForReady !== false) await waitForReady(app, options.timeoutMs ?? Number(process.env.APP_READY_TIMEOUT_MS || 120_000))
  return app
}

export async function waitForReady(app: RunningApp, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (app.process.exitCode !== null) throw new Error(`app exited with ${app.process.exitCode} before ready:\n${app.output()}`)
    try {
      const res = await fetch(`${app.url}/api/ready`)
      if (res.status === 200) return
    } catch {}
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`app not ready after ${timeoutMs} ms:\n${app.output()}`)
}
