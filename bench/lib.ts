/**
 * Shared bench machinery: spawn the built app or a bare node:http baseline as separate processes,
 * wait for them, read their RSS, give each app its own PGlite dir or PostgreSQL database.
 * Load generation and reporting live in `load.ts` and `report.ts`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createPostgresDatabase, freePort } from '../tests/helpers/postgres'
import { START_NODE_ARGS, appStartEnv } from '../tests/helpers/start-command'

export const root = resolve(import.meta.dirname, '..')
/** PostgreSQL admin URL for the optional PostgreSQL runs (a database per app start is created on it). */
export const pgAdminUrl = process.env.BENCH_DATABASE_URL || undefined

export { freePort }

/**
 * The engines a bench runs on: PGlite, plus PostgreSQL with BENCH_DATABASE_URL; BENCH_ENGINES
 * (`pglite`, `postgres` or both, comma-separated) narrows that, e.g. to skip the slow PGlite runs.
 */
export function benchEngines(): ('pglite' | 'postgres')[] {
  const wanted = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').map((e) => e.trim())
  return (['pglite', 'postgres'] as const).filter((e) => wanted.includes(e) && (e === 'pglite' || pgAdminUrl))
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface Proc {
  url: string
  pid: number
  child: ChildProcess
  /** `performance.now()` right before spawn. */
  spawnedAt: number
  /** The last ~64 KB the process printed. */
  tail(): string
  /** Milliseconds from spawn until `path` answered 200. */
  waitFor(path: string, timeoutMs?: number): Promise<number>
  stop(): Promise<number | null>
}

/** How much of a process's output `tail()` returns. */
const TAIL_BYTES = 65_536

/**
 * The process's output goes to a file, as a container's goes to its log driver: through a pipe the
 * bench's own thread (busy running the load) would have to read every request's log line, and the
 * app's writes to stdout (synchronous to a pipe on Linux) would wait for it - the bench measuring itself.
 */
function spawnProc(args: string[], env: Record<string, string>, port: number): Proc {
  const spawnedAt = performance.now()
  const logDir = mkdtempSync(join(tmpdir(), 'tma-bench-log-'))
  const logFile = join(logDir, 'output.log')
  const out = openSync(logFile, 'w')
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', out, out] })
  closeSync(out)
  const readTail = () => {
    const fd = openSync(logFile, 'r')
    try {
      const size = fstatSync(fd).size
      const length = Math.min(size, TAIL_BYTES)
      const buffer = Buffer.alloc(length)
      readSync(fd, buffer, 0, length, size - length)
      return buffer.toString()
    } finally {
      closeSync(fd)
    }
  }
  // A request log grows by megabytes a second under load: once the process is gone only its tail stays.
  let last: string | undefined
  const tail = () => last ?? readTail()
  child.on('exit', () => {
    last = readTail()
    rmSync(logDir, { recursive: true, force: true })
  })
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const url = `http://127.0.0.1:${port}`
  return {
    url, pid: child.pid!, child, spawnedAt, tail,
    async waitFor(path, timeoutMs = 60_000) {
      const deadline = spawnedAt + timeoutMs
      while (performance.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}:\n${tail()}`)
        try {
          const res = await fetch(url + path)
          await res.arrayBuffer()
          if (res.status === 200) return performance.now() - spawnedAt
        } catch {}
        await sleep(25)
      }
      throw new Error(`${url}${path} not 200 after ${timeoutMs} ms:\n${tail()}`)
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/** A fresh, empty PostgreSQL database on BENCH_DATABASE_URL; `drop()` removes it. */
export const createPgDatabase = (adminUrl: string) => createPostgresDatabase(adminUrl, 'bench')

export interface AppOptions {
  env?: Record<string, string>
  /** Reuse this PGlite data dir (second start); a new temporary one otherwise. */
  dataDir?: string
  /** Run on this PostgreSQL database instead of PGlite. */
  databaseUrl?: string
  /** How long to wait for /api/ready (60 s by default). */
  readyTimeoutMs?: number
}

export interface App extends Proc { dataDir: string; databaseUrl?: string; readyMs: number }

/** Spawns `node .output/server/index.mjs` (the Docker command) and waits for /api/ready = 200. */
export async function startApp(options: AppOptions = {}): Promise<App> {
  const port = await freePort()
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tma-bench-'))
  // PGLITE_THREAD=main in the bench's environment runs the app's PGlite on its event loop (A/B).
  const extra = { ...(process.env.PGLITE_THREAD ? { PGLITE_THREAD: process.env.PGLITE_THREAD } : {}), ...options.env }
  const env = appStartEnv({ port, dataDir, databaseUrl: options.databaseUrl, metricsToken: BENCH_METRICS_TOKEN, extra })
  // The start command's own flag (package.json, Dockerfile), then BENCH_NODE_ARGS, e.g.
  // `--cpu-prof --cpu-prof-dir=/tmp/prof`, to look inside a slow figure.
  const nodeArgs = [...START_NODE_ARGS, ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]
  const proc = spawnProc([...nodeArgs, resolve(root, '.output/server/index.mjs')], env, port)
  try {
    const readyMs = await proc.waitFor('/api/ready', options.readyTimeoutMs)
    return { ...proc, dataDir, databaseUrl: options.databaseUrl, readyMs }
  } catch (error) {
    await proc.stop()
    throw error
  }
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true })
}

/**
 * The bare node:http server of `baseline-server.ts`, run by plain `node` (type stripping).
 * `responses`: exact bytes to answer on given paths (captured from the app), see that file.
 * `options.env`: more of its environment (LIKE_APP, see that file).
 */
export async function startBaseline(responses?: Record<string, { contentType: string; body: string }>, options: { env?: Record<string, string> } = {}): Promise<Proc> {
  const port = await freePort()
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', PORT: String(port), ...options.env }
  if (responses) {
    env.BASELINE_RESPONSES = join(mkdtempSync(join(tmpdir(), 'tma-baseline-')), 'responses.json')
    writeFileSync(env.BASELINE_RESPONSES, JSON.stringify(responses))
  }
  const proc = spawnProc([resolve(root, 'bench/baseline-server.ts')], env, port)
  await proc.waitFor('/api/health', 10_000)
  return proc
}

/** Resident set size of a process in MB (VmRSS from /proc, `ps` as a fallback). */
export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    if (kb) return Number(kb) / 1024
  } catch {}
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024
}

/** The most RSS a process has had since it started (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
}

/** CPU time (user + system) a process has used so far, in ms (from /proc/PID/stat, 100 ticks/s). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // fields from #3 (state) on
  return (Number(fields[11]) + Number(fields[12])) * 10 // #14 utime, #15 stime
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The METRICS_TOKEN of the apps the benchmarks start. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789'

/** Reads one sample of a Prometheus text metric (`name{labels}` exactly as printed), 0 if absent. */
export async function readMetric(url: string, series: string): Promise<number> {
  return (await readMetrics(url, [series]))[0]!
}

/** Reads several samples from one /metrics answer, each 0 if absent. */
export async function readMetrics(url: string, series: string[]): Promise<number[]> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })).text()
  const values = new Map<string, number>()
  for (const line of text.split('\n')) {
    const space = line.lastIndexOf(' ')
    if (space > 0 && line[0] !== '#') values.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return series.map((name) => values.get(name) ?? 0)
}
