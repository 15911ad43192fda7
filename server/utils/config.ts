import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'

/** Environment variables that hold secrets: each may also come from `<NAME>_FILE`, and none is ever logged. */
export const SECRET_NAMES = [
  'DATABASE_URL',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'PAYMENT_PROVIDER_TOKEN',
  'SESSION_SECRET',
  'METRICS_TOKEN',
  'BITRIX24_WEBHOOK_URL',
  'MOYSKLAD_TOKEN',
  'MOYSKLAD_WEBHOOK_SECRET',
  'ATOL_PASSWORD',
  'UNISENDER_API_KEY',
  'YANDEX_GEOCODER_API_KEY',
] as const

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()

/** An on/off switch: 1/true/yes or 0/false/no (empty = off). */
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .default('0')
  .pipe(z.enum(['0', '1', 'true', 'false', 'yes', 'no', ''], { error: 'must be 1 or 0' }))
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: optionalString.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
    ),
    DATA_DIR: z.string().trim().min(1).default('./.data'),
    /** Where the embedded database runs: on a worker thread of its own (off the event loop), or on the app's thread. */
    PGLITE_THREAD: z.enum(['worker', 'main']).default('worker'),
    PUBLIC_URL: optionalString.pipe(httpUrl.optional()),
    TELEGRAM_BOT_TOKEN: optionalString.pipe(
      z
        .string()
        .regex(/^\d{5,16}:[A-Za-z0-9_-]{30,64}$/, 'must look like 123456789:AA... as issued by @BotFather')
        .optional(),
    ),
    TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
      z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z, a-z, 0-9, _ and -').optional(),
    ),
    TELEGRAM_API_ROOT: httpUrl.default('https://api.telegram.org'),
    TELEGRAM_UPDATES: z.enum(['webhook', 'polling']).optional(),
    PAYMENT_PROVIDER_TOKEN: optionalString,
    SESSION_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    ADMIN_TELEGRAM_IDS: z
      .string()
      .trim()
      .default('')
      .transform((raw, ctx) => {
        const ids = raw.split(/[\s,]+/).filter(Boolean)
        const bad = ids.filter((id) => !/^\d{1,16}$/.test(id))
        if (bad.length) {
          ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of numeric Telegram ids (bad: ${bad.join(', ')})` })
          return z.NEVER
        }
        return ids.map(Number)
      }),
    INIT_DATA_MAX_AGE: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(3600),
    /** Seconds a replica keeps its in-memory catalog and roles without a NOTIFY (a backstop); 0 reads the database every time. */
    READ_MODEL_TTL: z.coerce.number().min(0).max(3600).default(30),
    TELEGRAM_INIT_DATA_THIRD_PARTY: z.enum(['production', 'test', 'off']).default('off'),
    /**
     * How many proxies (load balancer, CDN) stand in front of the app: the client IP (rate limits,
     * audit) is the X-Forwarded-For entry that many hops from the right. `true`/`false` mean 1/0.
     */
    TRUST_PROXY: z
      .string()
      .trim()
      .toLowerCase()
      .default('0')
      .transform((v) => (v === 'true' ? '1' : v === 'false' || v === '' ? '0' : v))
      .pipe(z.string().regex(/^\d{1,2}$/, 'must be the number of proxy hops in front of the app (0 = none)'))
      .transform(Number)
      .pipe(z.number().int().min(0).max(10)),
    /** Runs the sandbox on purpose where NODE_ENV=production, as a public demo in which sandbox people cannot change anything that matters. */
    PUBLIC_DEMO: flag,
    /** With a real bot: write the demo catalog (Zerno Coffee) on the first start. Never the demo people. */
    DEMO_DATA: flag,
    /** Bearer token Prometheus sends to GET /metrics; required in production. */
    METRICS_TOKEN: optionalString.pipe(z.string().regex(/^[\x21-\x7e]{16,256}$/, 'must be 16-256 printable characters without spaces').optional()),
    /** CRM: a Bitrix24 inbound webhook (`https://<portal>/rest/<user>/<code>/`); its code is the secret. */
    BITRIX24_WEBHOOK_URL: optionalString.pipe(httpUrl.optional()),
    /** Warehouse: a MoySklad API token, the API root (tests point it at a fake), and the secret its webhooks carry in `?secret=`. */
    MOYSKLAD_TOKEN: optionalString,
    MOYSKLAD_API_URL: httpUrl.default('https://api.moysklad.ru/api/remap/1.2'),
    MOYSKLAD_WEBHOOK_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    /** Billing: ATOL Online receipts (54-FZ): API root, group code, login and password, the shop's INN, e-mail and site. */
    ATOL_API_URL: httpUrl.default('https://online.atol.ru/possystem/v4'),
    ATOL_GROUP_CODE: optionalString,
    ATOL_LOGIN: optionalString,
    ATOL_PASSWORD: optionalString,
    ATOL_INN: optionalString,
    ATOL_COMPANY_EMAIL: optionalString,
    /** Mailing: UniSender's API key and the list customers who agreed to news go to. */
    UNISENDER_API_KEY: optionalString,
    UNISENDER_LIST_ID: optionalString.pipe(z.string().regex(/^\d+$/, 'must be the numeric id of a UniSender list').optional()),
    UNISENDER_API_URL: httpUrl.default('https://api.unisender.com/ru/api'),
    /** Maps: a Yandex Geocoder key, to read delivery addresses and match them to zones. */
    YANDEX_GEOCODER_API_KEY: optionalString,
    YANDEX_GEOCODER_URL: httpUrl.default('https://geocode-maps.yandex.ru/1.x'),
    /** How long a partner may take to answer before the attempt counts as failed (and is retried). */
    PARTNER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Lets /admin's outbound webhooks post to private addresses and plain http in production (an internal CRM on the shop's own network); off by default against SSRF. */
    WEBHOOKS_ALLOW_PRIVATE: flag,
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** Cron (UTC) of the scheduled backup, or `off`. */
    BACKUP_SCHEDULE: z
      .string()
      .trim()
      .default('15 3 * * *')
      .pipe(z.string().regex(/^(off|(\S+\s+){4}\S+)$/, 'must be a 5-field cron expression (UTC) or off')),
    /** Where backups go; DATA_DIR/backups by default (mount other storage there). */
    BACKUP_DIR: optionalString,
    BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).max(366).default(7),
    BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).max(520).default(4),
  })
  .superRefine((env, ctx) => {
    // A production start without a bot would run the sandbox, which hands out an owner's identity to anyone.
    if (env.NODE_ENV === 'production' && !env.TELEGRAM_BOT_TOKEN && !env.PUBLIC_DEMO) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'is required in production (without it the app would run the sandbox; set PUBLIC_DEMO=1 to run a public demo on purpose)' })
    }
    if (env.PUBLIC_DEMO && env.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_DEMO'], message: 'cannot be combined with TELEGRAM_BOT_TOKEN: a public demo runs the sandbox' })
    }
    if (env.NODE_ENV === 'production' && !env.METRICS_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_TOKEN'], message: 'is required in production: Prometheus sends it as "Authorization: Bearer <token>" to GET /metrics' })
    }
    if (env.NODE_ENV === 'production' && env.TELEGRAM_BOT_TOKEN && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production when a real TELEGRAM_BOT_TOKEN is set' })
    }
    if (env.TELEGRAM_UPDATES === 'webhook' && env.TELEGRAM_BOT_TOKEN && !env.PUBLIC_URL?.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be an https URL when TELEGRAM_UPDATES=webhook (Telegram only calls https webhooks)' })
    }
  })

export type AppConfig = ReturnType<typeof buildConfig>

/** Thrown when the environment cannot start the app; `problems` holds one human line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Resolves `<NAME>_FILE` for every secret: the file's content (trimmed) wins over nothing, and both at once is a mistake. */
function readSecretFiles(env: Record<string, string | undefined>, problems: string[]) {
  const resolved: Record<string, string | undefined> = { ...env }
  for (const name of SECRET_NAMES) {
    const file = env[`${name}_FILE`]
    if (!file) continue
    if (env[name]) {
      problems.push(`${name}: set either ${name} or ${name}_FILE, not both`)
      continue
    }
    try {
      resolved[name] = readFileSync(file, 'utf8').trim()
    } catch (error) {
      problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
    }
  }
  return resolved
}

function buildConfig(env: z.output<typeof EnvSchema>) {
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, '')
  const sandbox = !env.TELEGRAM_BOT_TOKEN
  return {
    env: env.NODE_ENV,
    dataDir: resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    database: env.DATABASE_URL ? ('postgres' as const) : ('pglite' as const),
    /** PGlite on a worker thread (server/db/pglite-thread.ts) or on the app's thread. */
    pgliteThread: env.PGLITE_THREAD,
    publicUrl,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    telegram: {
      /** No real token: the built-in fake Bot API and the /sandbox page stand in for Telegram. */
      sandbox,
      botToken: env.TELEGRAM_BOT_TOKEN,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      // Telegram only delivers webhooks to https; anything else has to poll.
      updates: env.TELEGRAM_UPDATES ?? (publicUrl.startsWith('https://') ? ('webhook' as const) : ('polling' as const)),
      paymentProviderToken: env.PAYMENT_PROVIDER_TOKEN,
      initDataMaxAgeSeconds: env.INIT_DATA_MAX_AGE,
      /** Also require Telegram's Ed25519 signature of init data ('off' = HMAC only). */
      initDataThirdParty: env.TELEGRAM_INIT_DATA_THIRD_PARTY,
    },
    sessionSecret: env.SESSION_SECRET,
    adminTelegramIds: env.ADMIN_TELEGRAM_IDS,
    /** Proxy hops in front of the app whose X-Forwarded-For entries are trusted (0 = use the socket address). */
    trustProxyHops: env.TRUST_PROXY,
    /** The sandbox runs as a public demo: sandbox people may look at everything and change nothing that matters. */
    publicDemo: sandbox && env.PUBLIC_DEMO,
    /** Write the demo catalog on a first start with a real bot (the sandbox always gets it). */
    demoData: env.DEMO_DATA,
    metricsToken: env.METRICS_TOKEN,
    /** In-memory catalog and roles: dropped on NOTIFY, and after this many seconds at the latest (0 = off). */
    readModelTtlSeconds: env.READ_MODEL_TTL,
    /** Partners (server/integrations): a connector is on when its settings are present. */
    integrations: {
      bitrix24: env.BITRIX24_WEBHOOK_URL ? { webhookUrl: env.BITRIX24_WEBHOOK_URL.replace(/\/+$/, ''), timeoutMs: env.PARTNER_TIMEOUT_MS } : undefined,
      moysklad: env.MOYSKLAD_TOKEN ? { token: env.MOYSKLAD_TOKEN, apiUrl: env.MOYSKLAD_API_URL.replace(/\/+$/, ''), webhookSecret: env.MOYSKLAD_WEBHOOK_SECRET, timeoutMs: env.PARTNER_TIMEOUT_MS } : undefined,
      atol:
        env.ATOL_GROUP_CODE && env.ATOL_LOGIN && env.ATOL_PASSWORD && env.ATOL_INN
          ? { apiUrl: env.ATOL_API_URL.replace(/\/+$/, ''), groupCode: env.ATOL_GROUP_CODE, login: env.ATOL_LOGIN, password: env.ATOL_PASSWORD, inn: env.ATOL_INN, companyEmail: env.ATOL_COMPANY_EMAIL ?? '', paymentAddress: publicUrl, timeoutMs: env.PARTNER_TIMEOUT_MS }
          : undefined,
      geocoder: env.YANDEX_GEOCODER_API_KEY ? { apiUrl: env.YANDEX_GEOCODER_URL.replace(/\/+$/, ''), apiKey: env.YANDEX_GEOCODER_API_KEY, timeoutMs: env.PARTNER_TIMEOUT_MS } : undefined,
      /** Outbound webhooks (set up in /admin): a receiver slower than this counts as a failed attempt. */
      webhookTimeoutMs: env.PARTNER_TIMEOUT_MS,
      webhooksAllowPrivate: env.WEBHOOKS_ALLOW_PRIVATE,
      unisender: env.UNISENDER_API_KEY && env.UNISENDER_LIST_ID ? { apiUrl: env.UNISENDER_API_URL.replace(/\/+$/, ''), apiKey: env.UNISENDER_API_KEY, listId: env.UNISENDER_LIST_ID, timeoutMs: env.PARTNER_TIMEOUT_MS } : undefined,
    },
    backup: {
      schedule: env.BACKUP_SCHEDULE === 'off' ? null : env.BACKUP_SCHEDULE,
      dir: resolve(env.BACKUP_DIR ?? resolve(env.DATA_DIR, 'backups')),
      retention: { daily: env.BACKUP_KEEP_DAILY, weekly: env.BACKUP_KEEP_WEEKLY },
    },
  }
}

/** Parses the whole environment once; throws ConfigError listing every problem, one line each, never echoing a secret. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const problems: string[] = []
  const resolved = readSecretFiles(env, problems)
  const parsed = EnvSchema.safeParse(resolved)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || 'environment'
      problems.push(`${name}: ${issue.message}`)
    }
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems)
  return buildConfig(parsed.data)
}

/** Every configured secret value, so that the logger can blank them out wherever they appear. */
export function secretValues(config: AppConfig): string[] {
  return [config.databaseUrl, config.telegram.botToken, config.telegram.webhookSecret, config.telegram.paymentProviderToken, config.sessionSecret, config.metricsToken, config.integrations.bitrix24?.webhookUrl, config.integrations.moysklad?.token, config.integrations.moysklad?.webhookSecret, config.integrations.atol?.password, config.integrations.unisender?.apiKey, config.integrations.geocoder?.apiKey]
    .filter((value): value is string => typeof value === 'string' && value.length >= 6)
}
