import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from './app'
import { tmaHeaders, type InitUser } from './telegram-users'

/**
 * The built app against a fake Bot API, taking updates by webhook with `secret`, plus `env`: what
 * most e2e files start before their tests. Stop both with `stopWebhookApp` after them.
 */
export async function startWebhookApp(options: { secret: string; env?: Record<string, string | undefined> }): Promise<{ fake: FakeBotApi; app: RunningApp }> {
  const fake = createFakeBotApi()
  await fake.listen()
  const app = await startApp({
    env: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: options.secret,
      TELEGRAM_UPDATES: 'webhook',
      SESSION_SECRET: 'z'.repeat(40),
      ...options.env,
    },
  })
  return { fake, app }
}

export async function stopWebhookApp(started: { fake?: FakeBotApi; app?: RunningApp }) {
  await started.app?.stop()
  await started.fake?.close()
}

/**
 * Calls the app's API as the Mini App does: JSON, signed initData for `user` (none: anonymous).
 * Answers the status, the body (parsed when JSON) and the headers. `of` gives the app and the fake
 * at call time (a file starts them in beforeAll).
 */
export function apiClient(of: () => { app: RunningApp; fake: FakeBotApi }) {
  return async (path: string, init: RequestInit & { user?: InitUser } = {}) => {
    const { app, fake } = of()
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.user ? tmaHeaders(init.user, fake.token) : {}), ...(init.headers as Record<string, string>) }
    const res = await fetch(`${app.url}${path}`, { ...init, headers })
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()
    return { status: res.status, body, headers: res.headers }
  }
}
