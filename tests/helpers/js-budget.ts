/**
 * What JavaScript a page really makes a phone download, measured in Chromium with the HTTP cache
 * off (every request goes to the network) and gzipped from the built files in `.output/public`.
 * Shared by tests/e2e/budget.test.ts and bench/frontend.ts.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Browser, Page, Request } from 'playwright-core'

const publicDir = resolve(import.meta.dirname, '../../.output/public')

export interface JsFile {
  url: string
  /** Bytes on disk (minified). */
  raw: number
  /** gzip -9 of those bytes: what the wire carries with compression on. */
  gz: number
  /** The file holds the Telegram bridge (tma.js SDK or ours): it must never reach a public page. */
  telegram: boolean
}
export interface JsBudget {
  files: JsFile[]
  kb: number
  /** Scripts requested after the measured moment (prefetches of other screens), not counted. */
  later: JsFile[]
}

/** Strings only a Telegram bridge contains (method names it posts to the client). */
const TELEGRAM_MARKERS = ['web_app_ready', 'TelegramWebviewProxy', 'web_app_setup_main_button']

function describeFile(url: string): JsFile {
  const path = resolve(publicDir, `.${new URL(url).pathname}`)
  if (!existsSync(path)) throw new Error(`${url} is not a built file in .output/public`)
  const source = readFileSync(path)
  const text = source.toString('utf8')
  return { url: new URL(url).pathname, raw: source.length, gz: gzipSync(source, { level: 9 }).length, telegram: TELEGRAM_MARKERS.some((m) => text.includes(m)) }
}

const isJs = (request: Request) => new URL(request.url()).pathname.endsWith('.js')

/** Records the JS URLs requested by `page`. */
function recordScripts(page: Page) {
  const urls: string[] = []
  page.on('request', (request) => {
    if (isJs(request) && !urls.includes(request.url())) urls.push(request.url())
  })
  return urls
}

async function disableCache(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
}

function total(urls: string[], laterUrls: string[] = []): JsBudget {
  const files = urls.map(describeFile)
  return { files, kb: files.reduce((sum, f) => sum + f.gz, 0) / 1024, later: laterUrls.map(describeFile) }
}

/**
 * The Mini App's first launch as Telegram does it: `/sandbox` (our Telegram stand-in) opens
 * `/app#tgWebAppData=...` in its frame. Counts every script the frame started to download before
 * the home screen showed the business name and the signed-in greeting (the moment is taken inside
 * the frame by a MutationObserver, and scripts by the frame's resource timing, so a prefetch that
 * starts after that moment is never counted by accident); the sandbox page's own scripts are not
 * counted. Scripts that start later (prefetches of the next screens) are listed apart.
 */
export async function miniAppFirstScreenJs(browser: Browser, baseUrl: string): Promise<JsBudget> {
  const context = await browser.newContext({ locale: 'ru-RU' })
  try {
    await context.addInitScript(() => {
      if (window.parent === window) return
      // No named function in here: tsx (the benches) wraps those in esbuild's `__name()`, which the page lacks.
      const observer = new MutationObserver(() => {
        const h1 = document.querySelector('main.screen h1')
        if (!h1?.textContent?.trim() || !/Здравствуйте, \S/.test(document.body.innerText)) return
        ;(window as unknown as { __homeShownAt: number }).__homeShownAt = performance.now()
        observer.disconnect()
      })
      observer.observe(document, { childList: true, subtree: true, characterData: true })
    })
    const page = await context.newPage()
    await disableCache(page)
    await page.goto(`${baseUrl}/sandbox`)
    const frame = await (await page.waitForSelector('[data-testid="miniapp-frame"]')).contentFrame()
    if (!frame) throw new Error('no Mini App frame')
    await frame.waitForFunction(() => (window as unknown as { __homeShownAt?: number }).__homeShownAt, undefined, { timeout: 30_000 })
    await page.waitForTimeout(2000)
    const { shownAt, scripts } = await frame.evaluate(() => ({
      shownAt: (window as unknown as { __homeShownAt: number }).__homeShownAt,
      scripts: performance
        .getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname.endsWith('.js'))
        .map((e) => ({ url: e.name, startTime: e.startTime })),
    }))
    const unique = (list: typeof scripts) => [...new Set(list.map((s) => s.url))]
    return total(unique(scripts.filter((s) => s.startTime <= shownAt)), unique(scripts.filter((s) => s.startTime > shownAt)))
  } finally {
    await context.close()
  }
}

/** Every script a public page requests until it is loaded and idle for a moment. */
export async function pageJs(browser: Browser, url: string): Promise<JsBudget> {
  const context = await browser.newContext({ locale: 'ru-RU' })
  try {
    const page = await context.newPage()
    await disableCache(page)
    const urls = recordScripts(page)
    await page.goto(url, { waitUntil: 'load' })
    await page.waitForTimeout(1000)
    return total(urls)
  } finally {
    await context.close()
  }
}

/** The per-file list and the total, for the test log and the bench. */
export function formatBudget(title: string, budget: JsBudget, limitKb?: number): string {
  const kb = (n: number) => (n / 1024).toFixed(1).padStart(6)
  const lines = budget.files.map((f) => `  ${kb(f.gz)} KB gz ${kb(f.raw)} KB raw  ${f.url}${f.telegram ? '  (Telegram bridge)' : ''}`)
  const later = budget.later.length ? `\n  later (prefetch, not counted): ${budget.later.map((f) => `${f.url} ${kb(f.gz).trim()} KB`).join(', ')}` : ''
  const limit = limitKb ? ` (budget ${limitKb} KB)` : ''
  return `${title}: ${budget.kb.toFixed(1)} KB gz in ${budget.files.length} files${limit}\n${lines.join('\n')}${later}`
}
