import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { execFileSync, spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/app'
import { START_ENV } from '../helpers/start-command'
import { createPostgresDatabase, engine } from '../helpers/db'
import { eventually } from '../helpers/eventually'

const root = resolve(import.meta.dirname, '../..')

/**
 * Docker cannot run here, so this lays out what the image ships (.output and drizzle/ only, no
 * node_modules, no sources) in an empty folder and starts it with the image's CMD and ENV.
 */
describe('the Docker image layout', () => {
  it('ships .output and drizzle/, runs as the Dockerfile says, and becomes ready', async () => {
    const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8')
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/^HEALTHCHECK .*$/m)
    expect(dockerfile).toContain('/api/health')
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)![1]!) as string[]
    // The image and `npm start` run the same command (a 16 MB young generation: less memory at rest;
    // PGlite's WebAssembly on the baseline compiler only: no optimizing-compiler bursts of memory;
    // gc() for the first start to collect the instance that ran initdb, and for every start to hand
    // the start's garbage back before ready: docs/deployment.md).
    expect(cmd).toEqual(['node', '--max-semi-space-size=16', '--liftoff-only', '--expose-gc', '.output/server/index.mjs'])
    // and the variables npm start sets before node are in the image's ENV (malloc's threshold kept at
    // 128 KB, so freed blocks go back to the system).
    const imageEnv = dockerfile.match(/^ENV (?:.*\\\n)*.*$/m)![0].split(/[\s\\]+/)
    expect(START_ENV).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072' })
    for (const [name, value] of Object.entries(START_ENV)) expect(imageEnv).toContain(`${name}=${value}`)
    const prefix = Object.entries(START_ENV).map(([k, v]) => `${k}=${v} `).join('')
    expect((JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start).toBe(prefix + cmd.join(' '))

    const image = mkdtempSync(join(tmpdir(), 'image-'))
    cpSync(resolve(root, '.output'), join(image, '.output'), { recursive: true })
    cpSync(resolve(root, 'drizzle'), join(image, 'drizzle'), { recursive: true })
    const port = await freePort()
    const database = engine === 'postgres' ? await createPostgresDatabase() : undefined
    // With no bot token the image runs only as a declared public demo (tests/e2e/production-defaults.test.ts).
    const env: Record<string, string> = { ...START_ENV, PATH: process.env.PATH!, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(image, 'data'), PUBLIC_DEMO: '1', METRICS_TOKEN: 'docker-metrics-token-0123' }
    if (database) env.DATABASE_URL = database.url
    const child = spawn(cmd[0] === 'node' ? process.execPath : cmd[0]!, cmd.slice(1), { cwd: image, env, stdio: 'ignore' })
    try {
      const ready = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/ready`)
        return res.status === 200 ? res.json() : false
      }, 150_000, 250)
      expect(ready).toMatchObject({ status: 'ready' })
      const health = await fetch(`http://127.0.0.1:${port}/api/health`)
      expect(health.status).toBe(200)

      // The operator commands ship in the image too: back up the stopped app, restore into a fresh
      // database, and the audit chain still verifies there.
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      const run = (command: string, args: string[], extra: Record<string, string> = {}) =>
        execFileSync(process.execPath, [`.output/server/cli/${command}.mjs`, ...args], { cwd: image, env: { ...env, ...extra }, encoding: 'utf8' })
      expect(run('backup', ['--out', join(image, 'backup.jsonl.gz')])).toMatch(/^backup written: .*backup\.jsonl\.gz .*schema \d{4}_/m)
      const restoredDb = engine === 'postgres' ? await createPostgresDatabase() : undefined
      try {
        const target = { DATA_DIR: join(image, 'restored'), ...(restoredDb ? { DATABASE_URL: restoredDb.url } : {}) }
        expect(run('restore', [join(image, 'backup.jsonl.gz')], target)).toMatch(/^restored .*every count matches the manifest/m)
        expect(run('audit-verify', [], target)).toMatch(/^audit chain intact: \d+ entries/m)
      } finally {
        await restoredDb?.drop()
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r))
      await database?.drop()
      rmSync(image, { recursive: true, force: true })
    }
  }, 200_000)
})
