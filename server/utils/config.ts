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
] as const

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: optionalString.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
    ),
    DATA_DIR: z.string().trim().min(1).default('./.data'),
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
    TELEGRAM_INIT_DATA_THIRD_PARTY: z.enum(['production', 'test', 'off']).default('off'),
    /** Behind a load balancer: take the client IP from X-Forwarded-For (rate limits, audit). */
    TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
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
    trustProxy: env.TRUST_PROXY,
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
  return [config.databaseUrl, config.telegram.botToken, config.telegram.webhookSecret, config.telegram.paymentProviderToken, config.sessionSecret]
    .filter((value): value is string => typeof value === 'string' && value.length >= 6)
}
