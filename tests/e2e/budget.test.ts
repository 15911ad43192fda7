import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser } from '../helpers/browser'
import { formatBudget, miniAppFirstScreenJs, pageJs } from '../helpers/js-budget'

/**
 * The JavaScript budget of DESIGN.md ("Front end"): every script a phone downloads to show the
 * Mini App's home screen on a first launch (entry, route chunks, the Telegram SDK, lazy chunks),
 * recorded in Chromium with the cache off and gzipped from `.output/public`.
 */
const MINI_APP_BUDGET_KB = 90

let app: RunningApp
let browser: Browser
beforeAll(async () => {
  app = await startApp()
  browser = await launchBrowser()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('JavaScript budgets', () => {
  it(`downloads at most ${MINI_APP_BUDGET_KB} KB of gzipped JS until the Mini App home screen is shown`, async () => {
    const budget = await miniAppFirstScreenJs(browser, app.url)
    console.log(formatBudget('/app first launch (until the home screen)', budget, MINI_APP_BUDGET_KB))
    expect(budget.files.length).toBeGreaterThan(2)
    // The figure must include the Telegram bridge: a launch without it never reaches the home screen.
    expect(budget.files.some((f) => f.telegram), 'the Telegram SDK/bridge is among the counted files').toBe(true)
    expect(budget.kb).toBeLessThanOrEqual(MINI_APP_BUDGET_KB)
  }, 60_000)

  for (const path of ['/', '/catalog', '/product/flat-white']) {
    it(`ships no Telegram SDK and little JS on ${path}`, async () => {
      const budget = await pageJs(browser, app.url + path)
      console.log(formatBudget(path, budget))
      for (const file of budget.files) expect(file.telegram, file.url).toBe(false)
    }, 60_000)
  }
})
