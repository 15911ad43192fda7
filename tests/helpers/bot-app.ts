/**
 * The set-up most end-to-end tests share: a fake Bot API, the built app started in webhook mode
 * against it, and small clients for its HTTP API and its webhook route.
 */
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { adminLinkFromBot } from './admin'
import { startApp, type RunningApp } from './app'
import { tmaHeaders, type InitUser } from './telegram-users'

export interface ApiInit {
  method?: string
  /** Signs the request as this Telegram user (`Authorization: tma <initData>`). */
  user?: InitUser
  /** A string goes as it is; anything else as JSON. */
  body?: unknown
  headers?: Record<string, string>
}

export interface ApiAnswer {
  status: number
  // Tests read answers loosely; the routes' own schemas are checked by the contract tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  headers: Headers
}

export interface BotApp {
  fake: FakeBotApi
  app: RunningApp
  /** The webhook's secret token (`X-Telegram-Bot-Api-Secret-Token`). */
  secret: string
  publicUrl: string
  /** Calls the app's API; the answer's body is parsed when it is JSON, text otherwise. */
  api: (path: string, init?: ApiInit) => Promise<ApiAnswer>
  /** Posts one update to the webhook route as Telegram would (running a method its answer carries, as Telegram does). */
  deliver: (update: unknown) => Promise<Response>
  /** `user` writes /admin to the bot; the one-time sign-in link it answered, pointing at this app. */
  adminLink: (user: InitUser) => Promise<string>
  stop: () => Promise<void>
}

export const TEST_PUBLIC_URL = 'https://shop.example.com'

/**
 * Starts a fake Bot API and the app on it. `name` makes the secrets this test's own; `env` adds to
 * (or overrides) the defaults: webhook mode, PUBLIC_URL, a session secret.
 */
export async function startBotApp(name: string, options: { env?: Record<string, string | undefined>; dataDir?: string; databaseUrl?: string } = {}): Promise<BotApp> {
  const fake = createFakeBotApi()
  await fake.listen()
  const secret = `${name}-webhook-secret-0123456789`
  const publicUrl = options.env?.PUBLIC_URL ?? TEST_PUBLIC_URL
  let app: RunningApp
  try {
    app = await startApp({
      dataDir: options.dataDir,
      databaseUrl: options.databaseUrl,
      env: {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: secret,
        TELEGRAM_UPDATES: 'webhook',
        PUBLIC_URL: publicUrl,
        SESSION_SECRET: `${name}-session-secret-`.padEnd(48, 'x'),
        ...options.env,
      },
    })
  } catch (error) {
    await fake.close()
    throw error
  }
  const client = apiClient(app, fake)
  return {
    fake,
    app,
    secret,
    publicUrl,
    api: client,
    deliver: (update) => fake.postUpdate(`${app.url}/api/telegram/webhook`, secret, update),
    adminLink: (user) => adminLinkFromBot({ appUrl: app.url, fake, secret, publicUrl }, user),
    stop: async () => {
      await app.stop()
      await fake.close()
    },
  }
}

/** An API client for `app`, signing requests with the fake Bot API's token. */
export function apiClient(app: { url: string }, fake: { token: string }) {
  return async (path: string, init: ApiInit = {}): Promise<ApiAnswer> => {
    const res = await fetch(`${app.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(init.user ? tmaHeaders(init.user, fake.token) : {}), ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    })
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()
    return { status: res.status, body, headers: res.headers }
  }
}
