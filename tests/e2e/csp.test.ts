import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, sandboxLaunch, screenshot } from '../helpers/browser'

/**
 * The Content-Security-Policy (server/utils/csp.ts) in Chromium: public pages, the Mini App inside
 * the sandbox's frame, and /admin run without a single violation (Nuxt's inline scripts allowed by
 * hash, nothing else inline). Every frame reports `securitypolicyviolation` events and Chromium's
 * own CSP console errors to the test; any one of them fails it.
 */
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

/** A browser context whose every page and frame reports CSP violations into `violations`. */
async function watchedContext(viewport = { width: 1280, height: 1100 }) {
  const violations: string[] = []
  const context: BrowserContext = await browser.newContext({ viewport, locale: 'en-US' })
  await context.exposeBinding('__cspViolation', (source, text: string) => violations.push(`${source.frame.url()}: ${text}`))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ;(window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`)
    })
  })
  const watch = (page: Page) => page.on('console', (message) => /Content Security Policy/i.test(message.text()) && violations.push(`${page.url()}: ${message.text()}`))
  context.on('page', watch)
  return { context, violations, watch }
}

describe('Content-Security-Policy in Chromium', () => {
  it('catches a violation when there is one (the check itself works)', async () => {
    const { context, violations } = await watchedContext()
    const page = await context.newPage()
    await page.goto(`${app.url}/catalog`)
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.injected = true'
      document.body.append(script)
    })
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined()
    expect(violations.join('\n')).toMatch(/script-src/)
    await context.close()
  })

  it('has no violation on the public pages, which carry no script at all', async () => {
    const { context, violations } = await watchedContext()
    const page = await context.newPage()
    for (const path of ['/', '/?lang=en', '/catalog', '/catalog/coffee', '/product/cappuccino', '/product/cappuccino?lang=en', '/product/no-such-thing']) {
      const res = await page.goto(`${app.url}${path}`)
      expect(res!.headers()['content-security-policy'], path).toContain("script-src 'self'")
      await page.waitForLoadState('networkidle')
    }
    expect(violations).toEqual([])
    await context.close()
  })

  it('has no violation in the Mini App framed by the sandbox, across screens and people', async () => {
    const { context, violations } = await watchedContext()
    const page = await context.newPage()
    await page.goto(`${app.url}/sandbox`)
    await page.waitForSelector('[data-testid="who"]')
    let frame = await sandboxLaunch(page, { person: 'customer_en', theme: 'dark' })
    const firstLink = frame.locator('a[href^="/app/"]').first()
    await firstLink.click()
    await frame.waitForSelector('main.screen')
    await page.waitForTimeout(500)
    frame = await sandboxLaunch(page, { person: 'owner', theme: 'light', startParam: 'product_cappuccino' })
    await frame.waitForSelector('main.screen')
    await page.waitForLoadState('networkidle')
    expect(violations).toEqual([])
    await context.close()
  })

  it('has no violation in /admin, signed in with the Mini App launch data', async () => {
    const { context, violations } = await watchedContext({ width: 390, height: 844 })
    const launch = await (await fetch(`${app.url}/api/sandbox/launch?person=owner`)).json()
    // As inside Telegram's WebView (its bridge object is there): /admin signs in with the launch data.
    await context.addInitScript(() => Object.assign(window, { TelegramWebviewProxy: { postEvent: () => {} } }))
    const page = await context.newPage()
    for (const path of ['/admin', '/admin/orders', '/admin/catalog', '/admin/payments', '/admin/payments/reports', '/admin/delivery', '/admin/users', '/admin/audit']) {
      await page.goto(`${app.url}${path}#${launch.hash}`)
      await page.waitForLoadState('networkidle')
      await page.waitForSelector('h1')
    }
    // The audit page (the last one) says the log's hash chain verifies.
    const badge = page.locator('[data-testid="audit-chain"]')
    await badge.waitFor()
    expect(await badge.getAttribute('class')).toContain('ok')
    expect(await badge.textContent()).toMatch(/\d/)
    await screenshot(page, 'admin-audit-chain-390')
    expect(violations).toEqual([])
    await context.close()
  })
})
