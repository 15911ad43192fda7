import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, openSandboxPage, phoneScreenshot, sandboxLaunch, seriousA11yViolations } from '../helpers/browser'
import { callAs, expectAdminScreen, pageOverflow, sandboxAdminLink, sandboxBotReady, sandboxPerson } from '../helpers/admin'
import { eventually } from '../helpers/eventually'

/**
 * Support in Debian Chromium through /sandbox: the customer searches the answer base in the Mini
 * App, reads an article that does not help and asks a person; the operator sees the conversation
 * appear in the /admin inbox without a reload (390 and 1440 px), answers, the answer reaches the
 * customer's chat, the operator closes it and the customer's rating arrives.
 */
let app: RunningApp
let browser: Browser
let sandbox: Page
let frame: Frame
let adminCookies: Awaited<ReturnType<BrowserContext['cookies']>>
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } } as const
type Json = ReturnType<typeof JSON.parse>
let owner: Awaited<ReturnType<typeof sandboxPerson>>
const chat = async (person: string): Promise<Json[]> => (await (await fetch(`${app.url}/api/sandbox/chat?person=${person}`)).json()).messages

beforeAll(async () => {
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined } })
  await sandboxBotReady(app.url)
  owner = await sandboxPerson(app.url, 'owner')
  // Operators are at work all day in this test (the answers do not depend on the hour it runs).
  await callAs(app.url, owner, '/api/admin/support/hours', { method: 'POST', body: { days: Array.from({ length: 7 }, () => ({ from: '00:00', to: '00:00' })), autoReply: { ru: 'Мы закрыты.', en: 'We are closed.' }, expectedReplyMinutes: 10 } })
  browser = await launchBrowser()
  const signIn = await browser.newContext()
  const page = await signIn.newPage()
  await page.goto(await sandboxAdminLink(app.url, 'owner'))
  await page.waitForURL(`${app.url}/admin`)
  adminCookies = await signIn.cookies()
  await signIn.close()
  sandbox = await openSandboxPage(browser, app.url)
  frame = await sandboxLaunch(sandbox, { person: 'customer' })
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

async function adminPage(size: keyof typeof VIEWPORTS) {
  const context = await browser.newContext({ viewport: VIEWPORTS[size], locale: 'ru-RU', hasTouch: size === 'phone', isMobile: size === 'phone', deviceScaleFactor: 1 })
  await context.addCookies(adminCookies)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  return { context, page, errors }
}

describe('support in the Mini App and /admin', () => {
  it('the customer searches the answer base, reads an article that does not help and asks a person', async () => {
    await frame.locator('a[href="/app/support"]').click()
    await frame.getByTestId('support-search').waitFor()
    await frame.locator('[data-testid="support-articles"] li').first().waitFor()
    expect(await frame.locator('[data-testid="support-articles"] li').count()).toBeGreaterThanOrEqual(5)
    await phoneScreenshot(sandbox, 'support-miniapp-answers')
    // Searching narrows the list to the matching articles.
    await frame.getByTestId('support-search').fill('возврат')
    await eventually(async () => (await frame.locator('[data-testid="support-articles"] a').first().getAttribute('href')) === '/app/support/refunds' || undefined, 10_000)
    await frame.locator('a[href="/app/support/refunds"]').click()
    await frame.getByTestId('support-article').waitFor()
    expect(await frame.getByTestId('support-article').textContent()).toContain('3–5')
    await frame.getByTestId('helped-no').click()
    await phoneScreenshot(sandbox, 'support-miniapp-article')
    expect((await seriousA11yViolations(frame)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([])
    await frame.getByTestId('article-ask').click()
    await frame.getByTestId('support-draft').fill('Заказ привезли холодным. Хочу вернуть деньги.')
    await frame.getByTestId('support-send').click()
    await frame.locator('[data-testid="support-thread"] .bubble.customer', { hasText: 'Заказ привезли холодным' }).waitFor()
    // The chat acknowledges it too; the screen says how long an answer takes.
    expect(await frame.getByTestId('support-wait').textContent()).toContain('10 мин')
    await phoneScreenshot(sandbox, 'support-miniapp-sent')
    expect((await seriousA11yViolations(frame)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([])
  })

  it('the operator sees it in the inbox, which updates by itself, at 390 and 1440 px', async () => {
    for (const size of ['phone', 'desktop'] as const) {
      const { context, page, errors } = await adminPage(size)
      try {
        await page.goto(`${app.url}/admin/support`)
        await page.locator('[data-testid="support-inbox"] tbody tr', { hasText: 'Мария' }).waitFor({ timeout: 15_000 })
        await expectAdminScreen(page, `support-inbox-${size}`, { live: true })
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0)
        if (size === 'desktop') {
          // Another customer writes to the bot while the inbox is open: their row appears without a reload,
          // pushed over the live stream (connected; the fallback re-reading runs only while it is not).
          await page.locator('[data-testid="support-live"][data-connected="true"]').waitFor()
          expect((await fetch(`${app.url}/api/sandbox/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: 'customer_en', text: 'Do you have oat milk?' }) })).status).toBe(202)
          await page.locator('[data-testid="support-inbox"] tbody tr', { hasText: 'Emma' }).waitFor({ timeout: 8_000 })
          expect(await page.getByTestId('support-live').getAttribute('data-connected')).toBe('true')
        }
        expect(errors).toEqual([])
      } finally {
        await context.close()
      }
    }
  })

  it('the operator answers; the answer reaches the chat and the Mini App; closing brings the rating', async () => {
    const { context, page, errors } = await adminPage('phone')
    try {
      await page.goto(`${app.url}/admin/support`)
      await page.locator('[data-testid="support-inbox"] tbody tr', { hasText: 'Мария' }).getByRole('link').click()
      await page.getByTestId('support-messages').waitFor()
      expect(await page.getByTestId('support-messages').textContent()).toContain('Заказ привезли холодным')
      await page.getByTestId('support-reply').fill('Простите! Вернём деньги сегодня и привезём новый кофе.')
      await page.getByTestId('support-send').click()
      // The delivery state follows the queue: sent once the bot's message is in the customer's chat.
      await page.locator('[data-delivery="sent"]', { hasText: 'Вернём деньги сегодня' }).waitFor({ timeout: 20_000 })
      await expectAdminScreen(page, 'support-conversation-phone', { live: true })
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0)
      const inChat = await eventually(async () => (await chat('customer')).find((m: Json) => m.from === 'bot' && m.text?.includes('Вернём деньги сегодня')), 15_000)
      expect(inChat).toBeTruthy()
      await frame.locator('[data-testid="support-thread"] .bubble.business', { hasText: 'Вернём деньги сегодня' }).waitFor({ timeout: 15_000 })

      await page.getByTestId('support-close').click()
      await page.getByTestId('support-status').filter({ hasText: 'Закрыто' }).waitFor()
      // The customer rates in the Mini App (the chat got the rating buttons too).
      await eventually(async () => (await chat('customer')).find((m: Json) => m.from === 'bot' && m.buttons?.flat().some((b: Json) => String(b.callbackData).startsWith('support:rate:'))), 15_000)
      await frame.locator('.star').nth(4).waitFor({ timeout: 15_000 })
      await frame.locator('.star').nth(4).click()
      await frame.getByRole('button', { name: 'Оценить' }).click()
      await page.getByTestId('support-rating').waitFor({ timeout: 20_000 })
      expect(await page.getByTestId('support-rating').textContent()).toContain('★★★★★')
      await phoneScreenshot(sandbox, 'support-miniapp-rated')
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
    const desktop = await adminPage('desktop')
    try {
      const inbox = await callAs(app.url, owner, '/api/admin/support/conversations?folder=closed')
      await desktop.page.goto(`${app.url}/admin/support/${inbox.items[0].id}`)
      await desktop.page.getByTestId('support-rating').waitFor()
      await expectAdminScreen(desktop.page, 'support-conversation-desktop', { live: true })
      expect(await pageOverflow(desktop.page)).toBeLessThanOrEqual(0)
    } finally {
      await desktop.context.close()
    }
  })

  it('staff edit an article and the customers’ search finds the new words at once; hours get a day off and a holiday', async () => {
    const { context, page, errors } = await adminPage('phone')
    try {
      await page.goto(`${app.url}/admin/support/articles`)
      await page.getByTestId('article-edit-refunds').click()
      await page.locator('input[name="title_ru"]').fill('Возврат денег и компенсация')
      await page.getByTestId('article-submit').click()
      await page.locator('[data-testid="article-refunds"]', { hasText: 'компенсация' }).waitFor({ timeout: 15_000 })
      await page.getByTestId('article-try').fill('компенсацию')
      await page.getByTestId('article-found').filter({ hasText: 'Возврат денег и компенсация' }).waitFor({ timeout: 10_000 })
      await expectAdminScreen(page, 'support-articles-phone')
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0)
      // The customer's search in the Mini App reads the same saved text.
      const found = await (await fetch(`${app.url}/api/support/articles?q=${encodeURIComponent('компенсация')}`)).json()
      expect(found.items.map((a: Json) => a.slug)).toContain('refunds')

      await page.goto(`${app.url}/admin/support/settings`)
      await page.getByTestId('hours-day-0').waitFor()
      // The form fills in from the saved hours when they arrive: change it only after that, or the load undoes the change.
      await page.waitForLoadState('networkidle')
      await page.locator('input[name="open_0"]').uncheck()
      await page.locator('textarea[name="holidays"]').fill('2026-12-31\n2027-01-01')
      await page.locator('input[name="time_zone"]').fill('Asia/Yekaterinburg')
      await page.getByTestId('hours-submit').click()
      const hours = await eventually(async () => {
        const h = await callAs(app.url, owner, '/api/admin/support/hours')
        return h.days[0] === null ? h : undefined
      }, 10_000)
      expect(hours).toMatchObject({ timeZone: 'Asia/Yekaterinburg', holidays: ['2026-12-31', '2027-01-01'] })
      await expectAdminScreen(page, 'support-settings-phone')
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0)
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })
})
