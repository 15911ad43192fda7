import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * The node flags of `npm start` (package.json), which the Dockerfile's CMD repeats
 * (tests/e2e/docker-command.test.ts): tests and benches start the built app with the same ones.
 */
export const START_NODE_ARGS: string[] = (() => {
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }
  const [node, ...rest] = pkg.scripts.start!.split(' ')
  if (node !== 'node' || rest.at(-1) !== '.output/server/index.mjs') throw new Error(`npm start is not "node [flags] .output/server/index.mjs": ${pkg.scripts.start}`)
  return rest.slice(0, -1)
})()
