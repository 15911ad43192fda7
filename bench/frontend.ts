/**
 * `frontend`: the public product page rendered by Nuxt (SSR behind the 60 s per-replica page cache:
 * the first fetch below renders it, the measured run is served from the cache) at 50 connections
 * vs a bare node:http process answering the same bytes; the JS each route downloads (Chromium, cache
 * off, gzipped); and two page-load measurements, kept apart:
 *
 * - Lighthouse 13 (the `lighthouse` Node API, Chromium started by chrome-launcher), default config =
 *   mobile (Moto G Power screen and UA, simulated slow 4G and 4x CPU slowdown), performance category
 *   only, 3 runs per page, median score (0-100), LCP, FCP, TBT and Speed Index, with the machine's
 *   load average at each run. Pages: `/` (the public landing) and `/app#<launch params>` (a fresh
 *   signed hash from `GET /api/sandbox/launch` per run): the URL Telegram, and the sandbox's frame,
 *   opens. Lighthouse audits a top-level page only, so `/app` runs in its own tab, not inside the
 *   sandbox's iframe.
 * - Our own LCP probe (Playwright, not Lighthouse): a PerformanceObserver under CDP 4x CPU + slow 4G
 *   throttling, for `/`, the product page, and `/app` inside the `/sandbox` frame.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { launch as launchChrome } from 'chrome-launcher'
import lighthouse from 'lighthouse'
import type { Browser, Page } from 'playwright-core'
import { freePort, median, removeDir, root, rssMb, sleep, startApp } from './lib'
import { load, type LoadResult } from './load'
import { fmt, limits, ratio, table, writeResult, type Row } from './report'
import { CHROMIUM_PATH, launchBrowser } from '../tests/helpers/browser'
import { miniAppFirstScreenJs, pageJs, type JsBudget } from '../tests/helpers/js-budget'

const CONNECTIONS = 50
const PRODUCT = '/product/flat-white'
const MINI_APP_BUDGET_KB = 90
/** Lighthouse runs per page; the median of each figure is reported. */
const LIGHTHOUSE_RUNS = 3
/** Lighthouse mobile performance score limits (0-100): see bench/README.md for why /app's is lower. */
const LIGHTHOUSE_MIN_SCORE = { landing: 90, miniApp: 80 }

function row(name: string, r: LoadResult, rss: number): Row {
  return { server: name, 'req/s': r.rps, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, 'max ms': r.maxMs, 'CPU ms/req': r.cpuMsPerReq!.toFixed(3), non2xx: r.non2xx, errors: r.errors + r.timeouts, 'RSS MB': rss }
}

async function startPageBaseline(html: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tma-bench-page-'))
  const file = join(dir, 'page.html')
  writeFileSync(file, html)
  const port = await freePort()
  const child = spawn(process.execPath, [resolve(root, 'bench/baseline-page.ts')], { env: { PATH: process.env.PATH ?? '', PORT: String(port), PAGE_FILE: file }, stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) break
    } catch {}
    await sleep(25)
  }
  return { url, pid: child.pid!, stop: () => new Promise<void>((r) => { child.on('exit', () => r()); child.kill('SIGTERM') }).finally(() => removeDir(dir)) }
}

/** Largest Contentful Paint (ms) of `target` once `ready` resolves, read with a buffered PerformanceObserver. */
async function lcpOf(target: Page | import('playwright-core').Frame) {
  return target.evaluate(() => new Promise<number>((resolveLcp) => {
    let last = 0
    new PerformanceObserver((list) => { for (const e of list.getEntries()) last = e.startTime }).observe({ type: 'largest-contentful-paint', buffered: true })
    setTimeout(() => resolveLcp(last), 500)
  }))
}

/** Opens a page under 4x CPU slowdown and slow 4G (1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT), cache off. */
async function throttledPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, locale: 'ru-RU' })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 })
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
  return { context, page }
}

async function lcp(browser: Browser, url: string, miniApp: boolean) {
  const { context, page } = await throttledPage(browser)
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 })
    if (!miniApp) return await lcpOf(page)
    const frame = await (await page.waitForSelector('[data-testid="miniapp-frame"]', { timeout: 120_000 })).contentFrame()
    await frame!.waitForFunction(() => /Здравствуйте, \S/.test(document.body.innerText), undefined, { timeout: 120_000 })
    // The frame's own LCP is measured from the frame's navigation start (the launch), like Telegram opening the app.
    return await lcpOf(frame!)
  } finally {
    await context.close()
  }
}

/** One Lighthouse run: score 0-100, metrics in ms, the 1/5/15-min load average when it started. */
export interface LighthouseRun {
  url: string
  version: string
  /** What Lighthouse took as the largest contentful paint (selector: text). */
  lcpElement: string
  score: number
  lcpMs: number
  fcpMs: number
  tbtMs: number
  speedIndexMs: number
  /** Lighthouse's CPU benchmark of this machine at the time; under 1,000 it warns the host is too slow for its 4x slowdown to model the phone. */
  benchmarkIndex: number
  loadavg: number[]
  warnings: string[]
}

export interface LighthouseSummary {
  runs: LighthouseRun[]
  median: { score: number; lcpMs: number; fcpMs: number; tbtMs: number; speedIndexMs: number; benchmarkIndex: number; loadavg1: number }
}

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr']

function lcpElement(lhr: Lhr): string {
  const details = lhr.audits['lcp-breakdown-insight']?.details
  const items = details && 'items' in details ? (details.items as Array<{ type?: string; selector?: string; nodeLabel?: string }>) : []
  const node = items.find((i) => i.type === 'node')
  return node ? `${node.selector}: ${node.nodeLabel}` : ''
}

/**
 * Lighthouse 13, default config (= mobile: Moto G Power screen and UA, simulated slow 4G and 4x CPU
 * slowdown), performance category only, in a fresh headless Chromium per run (chrome-launcher).
 * `url` is called before every run, so a URL with signed init data is fresh each time.
 */
export async function lighthouseRuns(url: () => Promise<string>, runs = LIGHTHOUSE_RUNS): Promise<LighthouseSummary> {
  const out: LighthouseRun[] = []
  for (let i = 0; i < runs; i++) {
    const target = await url()
    const load = loadavg()
    const chrome = await launchChrome({ chromePath: CHROMIUM_PATH, chromeFlags: ['--headless=new', '--no-sandbox'], logLevel: 'silent' })
    try {
      const result = await lighthouse(target, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] })
      const lhr = result?.lhr
      if (!lhr) throw new Error(`lighthouse gave no result for ${target}`)
      if (lhr.runtimeError) throw new Error(`lighthouse ${target}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`)
      const metric = (id: string) => {
        const value = lhr.audits[id]?.numericValue
        if (value === undefined) throw new Error(`lighthouse ${target}: no ${id} (${lhr.audits[id]?.errorMessage ?? 'not measured'})`)
        return value
      }
      const score = lhr.categories.performance?.score
      if (score === null || score === undefined) throw new Error(`lighthouse ${target}: no performance score`)
      out.push({
        // The launch params are signed init data: the written result keeps only that they were there.
        url: lhr.finalDisplayedUrl.replace(/#.+$/, '#<launch params>'), version: lhr.lighthouseVersion, lcpElement: lcpElement(lhr), score: Math.round(score * 100),
        lcpMs: metric('largest-contentful-paint'), fcpMs: metric('first-contentful-paint'), tbtMs: metric('total-blocking-time'), speedIndexMs: metric('speed-index'),
        benchmarkIndex: lhr.environment.benchmarkIndex, loadavg: load.map((l) => Number(l.toFixed(2))), warnings: lhr.runWarnings,
      })
    } finally {
      chrome.kill()
    }
  }
  const med = (pick: (r: LighthouseRun) => number) => median(out.map(pick))
  return {
    runs: out,
    median: {
      score: med((r) => r.score), lcpMs: med((r) => r.lcpMs), fcpMs: med((r) => r.fcpMs), tbtMs: med((r) => r.tbtMs),
      speedIndexMs: med((r) => r.speedIndexMs), benchmarkIndex: med((r) => r.benchmarkIndex), loadavg1: med((r) => r.loadavg[0]!),
    },
  }
}

/** `/app` as Telegram (and the sandbox's frame) opens it: signed launch params in the hash, fetched fresh (init data expires). */
async function miniAppLaunchUrl(appUrl: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/sandbox/launch?person=customer&theme=light`)
  if (!res.ok) throw new Error(`GET /api/sandbox/launch: ${res.status} ${await res.text()}`)
  const { hash } = (await res.json()) as { hash: string }
  return `${appUrl}/app#${hash}`
}

export function lighthouseRows(results: Record<string, LighthouseSummary>): Row[] {
  return Object.entries(results).map(([page, { runs, median: m }]) => ({
    page, score: m.score, runs: runs.map((r) => r.score).join(' / '), 'LCP ms': Math.round(m.lcpMs), 'FCP ms': Math.round(m.fcpMs),
    'TBT ms': Math.round(m.tbtMs), 'SI ms': Math.round(m.speedIndexMs), 'CPU index': Math.round(m.benchmarkIndex),
    'load avg 1m': runs.map((r) => r.loadavg[0]!.toFixed(1)).join(' / '),
  }))
}

export const LIGHTHOUSE_TITLE = `Lighthouse 13 mobile (simulated slow 4G + 4x CPU), performance only, median of ${LIGHTHOUSE_RUNS} runs` +
  '; /app is audited at /app#<launch params> in its own tab, not inside the sandbox frame (Lighthouse audits top-level pages only)'

export async function frontend() {
  console.log(`\n== frontend: GET ${PRODUCT} (SSR) at ${CONNECTIONS} connections; JS per route; LCP probe under throttling; Lighthouse mobile for / and /app`)
  const app = await startApp()
  let measured: LoadResult, base: LoadResult, baseRss: number, rss: number
  const budgets: Record<string, JsBudget> = {}
  const lcpMs: Record<string, number> = {}
  const lighthouseResults: Record<string, LighthouseSummary> = {}
  try {
    const html = await (await fetch(app.url + PRODUCT)).text()
    const baseline = await startPageBaseline(html)
    try {
      base = await load(baseline.url, CONNECTIONS, { path: PRODUCT }, baseline.pid)
      baseRss = rssMb(baseline.pid)
    } finally {
      await baseline.stop()
    }
    measured = await load(app.url, CONNECTIONS, { path: PRODUCT }, app.pid)
    rss = rssMb(app.pid)
    // Printed now: the browser part below can time out on a loaded machine.
    table('SSR product page', [row('node:http baseline (same bytes)', base, baseRss), row('app (Nuxt SSR, page cache)', measured, rss)])
    console.log(`app/baseline: throughput ${ratio(measured.rps, base.rps)}, p99 ${ratio(measured.p99Ms, base.p99Ms)}, CPU per request ${ratio(measured.cpuMsPerReq!, base.cpuMsPerReq!)}`)

    const browser = await launchBrowser()
    try {
      budgets['/app (first launch, until home screen)'] = await miniAppFirstScreenJs(browser, app.url)
      for (const path of ['/', '/catalog/coffee', PRODUCT]) budgets[path] = await pageJs(browser, app.url + path)
      lcpMs['/ (landing)'] = await lcp(browser, `${app.url}/`, false)
      lcpMs[PRODUCT] = await lcp(browser, app.url + PRODUCT, false)
      lcpMs['/app in /sandbox (frame)'] = await lcp(browser, `${app.url}/sandbox`, true)
    } finally {
      await browser.close()
    }
    lighthouseResults['/ (landing)'] = await lighthouseRuns(async () => `${app.url}/`)
    lighthouseResults['/app (launch URL, own tab)'] = await lighthouseRuns(() => miniAppLaunchUrl(app.url))
  } finally {
    await app.stop()
    removeDir(app.dataDir)
  }

  table('JS downloaded per route (gzip -9)', Object.entries(budgets).map(([route, b]) => ({ route, files: b.files.length, 'KB gz': fmt(b.kb), 'KB raw': fmt(b.files.reduce((s, f) => s + f.raw, 0) / 1024) })))
  table('Our own LCP probe (Playwright): Chromium PerformanceObserver, CDP 4x CPU + slow 4G, cache off; /app inside the /sandbox frame (not Lighthouse)', Object.entries(lcpMs).map(([page, ms]) => ({ page, 'LCP ms': Math.round(ms) })))
  table(LIGHTHOUSE_TITLE, lighthouseRows(lighthouseResults))
  const landingLh = lighthouseResults['/ (landing)']!.median
  const miniAppLh = lighthouseResults['/app (launch URL, own tab)']!.median
  const miniAppKb = budgets['/app (first launch, until home screen)']!.kb
  const checks = limits([
    { what: '/app first-launch JS', value: miniAppKb, limit: MINI_APP_BUDGET_KB, kind: 'max', unit: ' KB' },
    { what: 'public pages JS', value: Math.max(...['/', PRODUCT].map((p) => budgets[p]!.kb)), limit: 0, kind: 'max', unit: ' KB' },
    { what: 'SSR product p99', value: measured.p99Ms, limit: 500, kind: 'max', unit: ' ms' },
    { what: 'SSR non-2xx + errors', value: measured.non2xx + measured.errors + measured.timeouts, limit: 0, kind: 'max' },
    { what: 'Lighthouse mobile performance score, / (median)', value: landingLh.score, limit: LIGHTHOUSE_MIN_SCORE.landing, kind: 'min' },
    { what: 'Lighthouse mobile performance score, /app launch URL (median)', value: miniAppLh.score, limit: LIGHTHOUSE_MIN_SCORE.miniApp, kind: 'min' },
  ])
  const file = writeResult('frontend', {
    connections: CONNECTIONS, path: PRODUCT, baseline: { ...base, rssMb: baseRss }, app: { ...measured, rssMb: rss },
    budgets: Object.fromEntries(Object.entries(budgets).map(([k, b]) => [k, { kb: b.kb, files: b.files }])),
    lcpMethod: 'own probe (not Lighthouse): Playwright, PerformanceObserver, CDP 4x CPU + slow 4G; /app inside the /sandbox frame', lcpMs,
    lighthouse: { version: lighthouseResults['/ (landing)']!.runs[0]!.version, config: 'default (mobile, simulated throttling), performance only', runsPerPage: LIGHTHOUSE_RUNS, pages: lighthouseResults },
    limits: checks,
  })
  console.log(`written ${file}`)
}
