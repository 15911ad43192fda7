import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * `npm start` (package.json) is `[NAME=value ...] node [flags] .output/server/index.mjs`; the
 * Dockerfile repeats both the variables (ENV) and the command (CMD), which
 * tests/e2e/docker-command.test.ts checks. Tests and benches start the built app the same way.
 */
const START = (() => {
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }
  const words = pkg.scripts.start!.split(' ')
  const env: Record<string, string> = {}
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
    const word = words.shift()!
    env[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1)
  }
  const [node, ...rest] = words
  if (node !== 'node' || rest.at(-1) !== '.output/server/index.mjs') throw new Error(`npm start is not "[NAME=value ...] node [flags] .output/server/index.mjs": ${pkg.scripts.start}`)
  return { env, args: rest.slice(0, -1) }
})()

/** The node flags of `npm start`. */
export const START_NODE_ARGS: string[] = START.args

/** The environment variables `npm start` sets before node (the Dockerfile's ENV has them too). */
export const START_ENV: Record<string, string> = START.env

/**
 * The environment of a built app started by a test or a bench: `npm start`'s variables, production
 * mode on 127.0.0.1:`port`, its own data dir, a metrics token, and PostgreSQL when `databaseUrl` is
 * given. With a bot token in `extra` it is a real-looking shop with the demo catalog (DEMO_DATA=1);
 * without one it runs the sandbox, which production allows only as a public demo (PUBLIC_DEMO=1).
 * `extra` comes last; an undefined value there removes the variable (a test of a missing setting).
 */
export function appStartEnv(options: { port: number; dataDir: string; metricsToken: string; databaseUrl?: string; extra?: Record<string, string | undefined> }): Record<string, string> {
  const { port, extra = {} } = options
  const env: Record<string, string> = {
    ...START_ENV,
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    METRICS_TOKEN: options.metricsToken,
    ...(extra.TELEGRAM_BOT_TOKEN ? { DEMO_DATA: '1' } : { PUBLIC_DEMO: '1' }),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) Reflect.deleteProperty(env, key)
    else env[key] = value
  }
  return env
}
