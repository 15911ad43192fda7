import { mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium, type Browser, type Frame, type Page } from 'playwright-core'

const root = resolve(import.meta.dirname, '../..')
/** Screenshots CI keeps as artifacts (gitignored). */
export const SCREENSHOT_DIR = resolve(root, 'tests/artifacts/screenshots')

/** The Chromium every browser test and bench starts: Debian's, or `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Debian's Chromium, headless, with nothing that phones home. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

export async function screenshot(target: Page | Frame, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const page = 'page' in target ? target.page() : target
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`) })
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

let axeSource: string | undefined

/** Runs axe-core in the page or frame; returns the serious and critical violations. */
export async function seriousA11yViolations(target: Page | Frame): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, not as a <script> tag: the page's Content-Security-Policy
  // (server/utils/csp.ts) rightly refuses inline scripts it did not ship.
  axeSource ??= readFileSync(resolve(root, 'node_modules/axe-core/axe.min.js'), 'utf8')
  if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(axeSource)
  const result = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe
    return axe.run(document, { resultTypes: ['violations'] })
  })
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** How many launches /sandbox has applied so far (each one replaces the Mini App's frame). */
export const sandboxLaunches = (page: Page): Promise<number> =>
  page.$eval('main.sandbox', (el) => Number((el as HTMLElement).dataset.launches))

/**
 * Waits until no launch is on its way and more than `after` have applied. Launches overlap (a
 * person switch launches, then the Launch button does): the page applies only the latest, and says
 * so in `data-launching`, so nothing here waits for time.
 */
async function launchApplied(page: Page, after: number) {
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector<HTMLElement>('main.sandbox')
      return !!el && el.dataset.launching === '0' && Number(el.dataset.launches) > n
    },
    after,
    { timeout: 20_000 },
  )
}

/** The Mini App frame inside /sandbox: waits for the latest launch to apply and its frame to be on /app. */
export async function sandboxMiniApp(page: Page, after = 0): Promise<Frame> {
  await launchApplied(page, after)
  for (let i = 0; i < 150; i++) {
    const handle = await page.$('[data-testid="miniapp-frame"]')
    const frame = await handle?.contentFrame().catch(() => null)
    if (frame && !frame.isDetached() && frame.url().includes('/app')) return frame
    await page.waitForTimeout(100)
  }
  throw new Error('no Mini App frame')
}

/** The frame of a launch made after `after` (say, by a button in the bot's chat), with its screen drawn. */
export async function sandboxRelaunched(page: Page, after: number): Promise<Frame> {
  const frame = await sandboxMiniApp(page, after)
  await frame.waitForSelector('main.screen', { timeout: 20_000 })
  return frame
}

/** Switches the person (which launches the Mini App as them) and returns the new frame. */
export async function sandboxSwitchPerson(page: Page, person: string): Promise<Frame> {
  const after = await sandboxLaunches(page)
  await page.selectOption('[data-testid="person"]', person)
  return sandboxRelaunched(page, after)
}

/** Relaunches the Mini App from the sandbox controls (person, theme, startapp) and returns its frame. */
export async function sandboxLaunch(page: Page, options: { person?: string; theme?: 'light' | 'dark'; startParam?: string } = {}): Promise<Frame> {
  const after = await sandboxLaunches(page)
  if (options.person) await page.selectOption('[data-testid="person"]', options.person)
  if (options.theme) await page.check(`input[name="theme"][value="${options.theme}"]`)
  await page.fill('[data-testid="startapp"]', options.startParam ?? '')
  await page.click('button:has-text("Launch")')
  return sandboxRelaunched(page, after)
}

/** The sandbox's phone (390x844: the Mini App and Telegram's buttons) as a PNG in the screenshot folder. */
export async function phoneScreenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.locator('.phone').screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`) })
}

/** A desktop-sized page on /sandbox with page errors printed, ready to launch the Mini App. */
export async function openSandboxPage(browser: Browser, appUrl: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1100 }, locale: 'en-US' })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  await page.goto(`${appUrl}/sandbox`)
  await page.waitForSelector('[data-testid="who"]')
  return page
}

/** Text with the no-break spaces Intl puts into prices made plain. */
export const plainText = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').trim()
