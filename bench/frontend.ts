/**
 * `frontend`: the public product page rendered by Nuxt (SSR behind the 60 s per-replica page cache:
 * the first fetch below renders it, the measured run is served from the cache) at 50 connections vs
 * a bare node:http process answering the same bytes; the JS each route downloads (Chromium, cache
 * off, gzipped); LCP in Chromium under 4x CPU and slow-4G throttling (not a Lighthouse score).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { freePort, removeDir, root, rssMb, sleep, startApp } from './lib'
import { load, type LoadResult } from './load'
import { fmt, limits, ratio, table, writeResult, type Row } from './report'
import { launchBrowser } from '../tests/helpers/browser'
import { miniAppFirstScreenJs, pageJs, type JsBudget } from '../tests/helpers/js-budget'

const CONNECTIONS = 50
const PRODUCT = '/product/flat-white'
const MINI_APP_BUDGET_KB = 90

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

export async function frontend() {
  console.log(`\n== frontend: GET ${PRODUCT} (SSR) at ${CONNECTIONS} connections; JS per route; LCP under throttling`)
  const app = await startApp()
  let measured: LoadResult, base: LoadResult, baseRss: number, rss: number
  const budgets: Record<string, JsBudget> = {}
  const lcpMs: Record<string, number> = {}
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
  } finally {
    await app.stop()
    removeDir(app.dataDir)
  }

  table('JS downloaded per route (gzip -9)', Object.entries(budgets).map(([route, b]) => ({ route, files: b.files.length, 'KB gz': fmt(b.kb), 'KB raw': fmt(b.files.reduce((s, f) => s + f.raw, 0) / 1024) })))
  table('LCP in Chromium, 4x CPU + slow 4G, cache off (not a Lighthouse score)', Object.entries(lcpMs).map(([page, ms]) => ({ page, 'LCP ms': Math.round(ms) })))
  const miniAppKb = budgets['/app (first launch, until home screen)']!.kb
  const checks = limits([
    { what: '/app first-launch JS', value: miniAppKb, limit: MINI_APP_BUDGET_KB, kind: 'max', unit: ' KB' },
    { what: 'public pages JS', value: Math.max(...['/', PRODUCT].map((p) => budgets[p]!.kb)), limit: 0, kind: 'max', unit: ' KB' },
    { what: 'SSR product p99', value: measured.p99Ms, limit: 500, kind: 'max', unit: ' ms' },
    { what: 'SSR non-2xx + errors', value: measured.non2xx + measured.errors + measured.timeouts, limit: 0, kind: 'max' },
  ])
  const file = writeResult('frontend', {
    connections: CONNECTIONS, path: PRODUCT, baseline: { ...base, rssMb: baseRss }, app: { ...measured, rssMb: rss },
    budgets: Object.fromEntries(Object.entries(budgets).map(([k, b]) => [k, { kb: b.kb, files: b.files }])), lcpMs, limits: checks,
  })
  console.log(`written ${file}`)
}
