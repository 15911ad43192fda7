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
