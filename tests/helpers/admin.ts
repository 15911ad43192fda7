/**
 * What the /admin browser tests share: signing in through the bot's one-time link, and checking a
 * screen (screenshot + no serious or critical axe findings).
 */
import { expect } from 'vitest'
import type { Page } from 'playwright-core'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import { eventually } from './eventually'
import { screenshot, seriousA11yViolations } from './browser'
import type { InitUser } from './telegram-users'

const LOGIN_LINK = /https?:\/\/\S+\/admin\/login\?token=[A-Za-z0-9_-]+/

/**
 * Sends /admin to the bot as `user` through the webhook and returns the sign-in link it answered
 * with. The link names PUBLIC_URL (a public https host); the browser reaches the same app on its
 * local port. Other messages to the same person (e.g. an alert) may arrive meanwhile: the link
 * itself is looked for.
 */
export async function adminLinkFromBot(target: { appUrl: string; fake: FakeBotApi; secret: string; publicUrl: string }, user: InitUser): Promise<string> {
  const { appUrl, fake, secret, publicUrl } = target
  const toUser = () => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === user.id)
  const before = toUser().length
  const res = await fetch(`${appUrl}/api/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(fake.updates.command({ ...user, is_bot: false }, '/admin')),
  })
  expect(res.status).toBe(200)
  const linkIn = (c: { params: Record<string, unknown> }) => LOGIN_LINK.exec(`${c.params.text} ${JSON.stringify(c.params.reply_markup ?? '')}`)?.[0]
  const link = await eventually(() => toUser().slice(before).map(linkIn).find(Boolean), 15_000)
  expect(link).toBeTruthy()
  return link!.replace(publicUrl, appUrl)
}

/** Once the screen is idle: a screenshot (`admin-<name>.png`) and no serious or critical axe findings. */
export async function expectAdminScreen(page: Page, name: string) {
  await page.waitForLoadState('networkidle')
  await screenshot(page, `admin-${name}`)
  const violations = await seriousA11yViolations(page)
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), name).toEqual([])
}

/** Waits for the admin's toast with `text`. */
export const adminToast = (page: Page, text: string | RegExp) => page.locator('[role="status"] .toast', { hasText: text }).first().waitFor()
