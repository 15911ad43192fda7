/**
 * A PostgreSQL server of our own for the chaos runs: initdb into a temporary directory, its own port
 * and socket directory, run as the `postgres` OS user (PostgreSQL refuses to run as root). The chaos
 * suite stops and starts THIS server; the machine's shared server (5432) is never touched.
 */
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { freePort } from '../tests/helpers/postgres'

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/14/bin']

export interface PrivatePostgres {
  url: string
  port: number
  /** `immediate` is a crash (recovery from the WAL on start), `fast` a clean shutdown. */
  stop(mode?: 'immediate' | 'fast'): void
  start(): void
  /** Stops the server (if running) and removes its directory. */
  destroy(): void
  log(): string
}

/** Why a private server cannot run here (no binaries, no `postgres` user), or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (!BIN_DIRS.some((d) => existsSync(join(d, 'initdb')))) return `no PostgreSQL server binaries in ${BIN_DIRS.join(', ')}`
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' })
  } catch {
    return 'no `postgres` OS user to run a private server as'
  }
  if (process.getuid?.() !== 0) return 'not root: cannot run a server as the `postgres` user'
  return undefined
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = BIN_DIRS.find((d) => existsSync(join(d, 'initdb')))!
  const dir = mkdtempSync(join(tmpdir(), 'tma-chaos-pg-'))
  const data = join(dir, 'data')
  const logFile = join(dir, 'server.log')
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  chownSync(dir, uid, gid)
  const port = await freePort()
  const as = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
  as([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60 -c fsync=on`
  const start = () => void as([join(bin, 'pg_ctl'), '-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start'])
  const stop = (mode: 'immediate' | 'fast' = 'fast') => {
    try {
      as([join(bin, 'pg_ctl'), '-D', data, '-m', mode, '-w', '-t', '60', 'stop'])
    } catch (error) {
      if (!/not running|No such process|PID file .* does not exist/i.test(String((error as { stderr?: string }).stderr ?? error))) throw error
    }
  }
  start()
  const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} })
  await admin.unsafe('create database chaos')
  await admin.end()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/chaos`,
    port,
    stop,
    start,
    destroy() {
      if (existsSync(join(data, 'postmaster.pid'))) stop('immediate')
      rmSync(dir, { recursive: true, force: true })
    },
    log: () => (existsSync(logFile) ? execFileSync('tail', ['-n', '40', logFile], { encoding: 'utf8' }) : readdirSync(dir).join(' ')),
  }
}
