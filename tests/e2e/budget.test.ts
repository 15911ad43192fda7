import { readFileSync, existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../helpers/app'

/**
 * The JavaScript budget of DESIGN.md ("Front end"): what a page's HTML makes the browser fetch
 * before anything runs (entry script + modulepreloads), gzipped, read from the built `.output/public`.
 */
const MINI_APP_BUDGET_KB = 90
const publicDir = resolve(import.meta.dirname, '../../.output/public')

let app: RunningApp
beforeAll(async () => {
  app = await startApp()
})
afterAll(async () => {
  await app?.stop()
})

/** Script and modulepreload URLs under /_nuxt/ that a page's HTML references. */
function initialScripts(html: string): string[] {
  const urls = new Set<string>()
  for (const match of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    const tag = match[0]
    const isScript = tag.startsWith('<script') && /\bsrc="([^"]+)"/.test(tag)
    const isPreload = /rel="modulepreload"/.test(tag)
    if (!isScript && !isPreload) continue
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1]
    if (url?.endsWith('.js')) urls.add(url)
  }
  return [...urls]
}

function gzipKb(urls: string[]) {
  const files = urls.map((url) => {
    const path = resolve(publicDir, `.${new URL(url, 'http://x').pathname}`)
    expect(existsSync(path), `${url} is in .output/public`).toBe(true)
    const source = readFileSync(path)
    return { url, source: source.toString('utf8'), gz: gzipSync(source, { level: 9 }).length }
  })
  return { files, kb: files.reduce((sum, f) => sum + f.gz, 0) / 1024 }
}

async function pageScripts(path: string) {
  const res = await fetch(`${app.url}${path}`)
  expect(res.status).toBe(200)
  return gzipKb(initialScripts(await res.text()))
}

describe('JavaScript budgets', () => {
  it(`loads at most ${MINI_APP_BUDGET_KB} KB of gzipped JS before the Mini App starts`, async () => {
    const { files, kb } = await pageScripts('/app')
    console.log(`/app initial JS: ${kb.toFixed(1)} KB gz (budget ${MINI_APP_BUDGET_KB} KB) in ${files.length} files`)
    expect(files.length).toBeGreaterThan(0)
    expect(kb).toBeLessThanOrEqual(MINI_APP_BUDGET_KB)
  })

  it('ships no Telegram SDK on the public landing page', async () => {
    const { files, kb } = await pageScripts('/')
    console.log(`/ initial JS: ${kb.toFixed(1)} KB gz in ${files.length} files`)
    for (const file of files) {
      expect(file.source, file.url).not.toContain('TelegramWebviewProxy')
      expect(file.source, file.url).not.toContain('web_app_setup_main_button')
    }
  })
})
