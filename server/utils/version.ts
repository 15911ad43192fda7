import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * The release's version: APP_VERSION when the image sets it, else package.json's version (read from
 * the working directory in development and the CLIs, or baked into the build by nuxt.config).
 */
export function appVersion(): string {
  if (process.env.APP_VERSION) return process.env.APP_VERSION
  const file = resolve(process.cwd(), 'package.json')
  if (existsSync(file)) {
    try {
      const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version
      if (version) return version
    } catch {}
  }
  return process.env.BUILT_APP_VERSION ?? 'unknown'
}
