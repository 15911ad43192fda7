import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium, type Browser, type Frame, type Page } from 'playwright-core'

const root = resolve(import.meta.dirname, '../..')
/** Screenshots CI keeps as artifacts (gitignored). */
export const SCREENSHOT_DIR = resolve(root, 'tests/artifacts/screenshots')

/** Debian's Chromium, headless, with nothing that phones home. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

export async function screenshot(target: Page | Frame, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const page = 'page' in target ? target.page() : target
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`) })
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** Runs axe-core in the page or frame; returns the serious and critical violations. */
export async function seriousA11yViolations(target: Page | Frame): Promise<AxeViolation[]> {
  await target.addScriptTag({ path: resolve(root, 'node_modules/axe-core/axe.min.js') })
  const result = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe
    return axe.run(document, { resultTypes: ['violations'] })
  })
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
