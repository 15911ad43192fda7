/**
 * Server-side validation of Telegram Mini App init data, as Telegram's Mini Apps documentation
 * specifies it ("Validating data received via the Mini App"): an HMAC of the sorted fields keyed
 * by the bot token, and optionally Telegram's Ed25519 `signature` for third parties.
 * Pure module: no Nitro/h3, only `node:crypto` and zod; mapping errors to HTTP is the caller's job.
 *
 * Why not @tma.js/init-data-node at run time: it agrees with this module on every public test
 * vector (tests/server/services/auth/init-data.test.ts checks both ways), but doing the same work
 * (validate + parse) it is about half as fast here (`npm run bench -- auth` prints both), compares
 * hashes with `===` rather than in constant time, and accepts a repeated key such as a second
 * `auth_date`, which this module refuses. It stays a development dependency as the cross-check.
 */
import { createHmac, createPublicKey, createSecretKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto'
import { z } from 'zod'

/** Largest accepted init data / Authorization header in UTF-8 bytes (real ones are about 1 KB). */
export const MAX_INIT_DATA_BYTES = 8192
/** Tolerated clock skew for an `auth_date` in the future, in seconds. */
export const MAX_FUTURE_SKEW_SECONDS = 300

export type InitDataErrorCode = 'auth_missing' | 'auth_malformed' | 'auth_invalid_signature' | 'auth_expired'

/** The only error thrown for bad input, so callers map `code` to a 401 without parsing messages. */
export class InitDataError extends Error {
  constructor(
    readonly code: InitDataErrorCode,
    message: string = code,
  ) {
    super(message)
    this.name = 'InitDataError'
  }
}

/** A Telegram user (or bot) as carried in `user` / `receiver`, camelCased. */
export interface TelegramInitUser {
  id: number
  firstName: string
  lastName?: string
  username?: string
  languageCode?: string
  isPremium: boolean
  allowsWriteToPm: boolean
  photoUrl?: string
  isBot?: boolean
  addedToAttachmentMenu?: boolean
}

/** The group or channel a Mini App was opened from via the attachment menu. */
export interface TelegramInitChat {
  id: number
  type: string
  title: string
  photoUrl?: string
  username?: string
}

/** Typed view of a validated init data string; `raw` is kept for forwarding and auditing. */
export interface TelegramInitData {
  raw: string
  authDate: Date
  user?: TelegramInitUser
  receiver?: TelegramInitUser
  chat?: TelegramInitChat
  chatType?: string
  chatInstance?: string
  startParam?: string
  queryId?: string
  canSendAfter?: number
  hash: string
  signature?: string
}

/** Which bot and which Telegram environment signed the Ed25519 `signature`. */
export interface ThirdPartyOptions {
  botId: number
  environment: 'production' | 'test'
}

export interface ValidateInitDataOptions {
  botToken: string
  maxAgeSeconds: number
  now?: Date
  /** Also require Telegram's Ed25519 `signature` for this bot id (defence in depth). */
  thirdParty?: ThirdPartyOptions | false
}

const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
/** snake_case keys (as Telegram sends them) to camelCase; zod has already dropped unknown keys. */
const camel = (o: object) =>
  compact(Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v])))

const optionalString = z.string().optional()
const optionalBoolean = z.boolean().optional()
const userSchema = z
  .object({
    id: z.number().int(),
    first_name: z.string(),
    last_name: optionalString,
    username: optionalString,
    language_code: optionalString,
    is_premium: optionalBoolean,
    allows_write_to_pm: optionalBoolean,
    photo_url: optionalString,
    is_bot: optionalBoolean,
    added_to_attachment_menu: optionalBoolean,
  })
  .transform((u) => ({ ...camel(u), isPremium: u.is_premium ?? false, allowsWriteToPm: u.allows_write_to_pm ?? false }) as TelegramInitUser)
const chatSchema = z
  .object({ id: z.number().int(), type: z.string(), title: z.string(), photo_url: optionalString, username: optionalString })
  .transform((c) => camel(c) as TelegramInitChat)

const TELEGRAM_PUBLIC_KEYS = {
  production: 'e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d',
  test: '40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec',
} as const
const publicKeys: Partial<Record<ThirdPartyOptions['environment'], KeyObject>> = {}
const PLAIN_KEY = /^[A-Za-z0-9_]+$/
const UNSIGNED_INT = /^\d{1,12}$/

function fail(code: InitDataErrorCode, message?: string): never {
  throw new InitDataError(code, message)
}
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8')

/**
 * Extracts the raw init data from `Authorization: tma <initDataRaw>` (the tma.js convention),
 * so route code never slices headers by hand.
 */
export function parseAuthorizationHeader(header: string | undefined | null): string {
  if (header == null || header.trim() === '') return fail('auth_missing', 'Authorization header is missing')
  if (byteLength(header) > MAX_INIT_DATA_BYTES) return fail('auth_malformed', 'Authorization header is too long')
  const match = /^(\S+)(?: +(.*))?$/s.exec(header.trim())
  if (!match || match[1]!.toLowerCase() !== 'tma') return fail('auth_malformed', 'Authorization scheme must be "tma"')
  const raw = match[2]?.trim() ?? ''
  return raw === '' ? fail('auth_missing', 'Authorization header carries no init data') : raw
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return fail('auth_malformed', 'Init data contains invalid percent-encoding')
  }
}

/** Strict query-string split: unique plain keys, valid UTF-8, no newline that could fake a line. */
function parsePairs(raw: string): Map<string, string> {
  if (typeof raw !== 'string' || raw === '') return fail('auth_missing', 'Init data is empty')
  if (byteLength(raw) > MAX_INIT_DATA_BYTES) return fail('auth_malformed', 'Init data is too long')
  const pairs = new Map<string, string>()
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=')
    const key = eq > 0 ? decode(part.slice(0, eq)) : ''
    const value = decode(part.slice(eq + 1))
    if (!PLAIN_KEY.test(key) || value.includes('\n')) return fail('auth_malformed', 'Init data contains an invalid pair')
    if (pairs.has(key)) return fail('auth_malformed', `Init data repeats "${key}"`)
    pairs.set(key, value)
  }
  return pairs
}

/** `key=value` lines sorted by key (UTF-16 code units), joined with "\n", minus excluded keys. */
function checkString(pairs: Map<string, string>, exclude: readonly string[]): string {
  const keys = [...pairs.keys()].filter((k) => !exclude.includes(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return keys.map((k) => `${k}=${pairs.get(k)}`).join('\n')
}

/**
 * The secret depends on the token only: computed once per token instead of on every request, and
 * kept as a KeyObject (a Buffer key is turned into a new KeyObject by every createHmac).
 */
const secrets = new Map<string, KeyObject>()
function secretFor(botToken: string): KeyObject {
  let secret = secrets.get(botToken)
  if (!secret) {
    secret = createSecretKey(createHmac('sha256', 'WebAppData').update(botToken).digest())
    if (secrets.size > 16) secrets.clear()
    secrets.set(botToken, secret)
  }
  return secret
}

function hmacHex(dataCheckString: string, botToken: string): string {
  return createHmac('sha256', secretFor(botToken)).update(dataCheckString).digest('hex')
}

/** Constant-time comparison; a length mismatch is simply "not equal". */
const safeEqual = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b)

function parseAuthDate(pairs: Map<string, string>): Date {
  const value = pairs.get('auth_date')
  if (value === undefined) return fail('auth_malformed', '"auth_date" is missing')
  if (!UNSIGNED_INT.test(value)) return fail('auth_malformed', '"auth_date" is not an integer')
  return new Date(Number(value) * 1000)
}

function checkFreshness(authDate: Date, maxAgeSeconds: number, now: Date): void {
  const ageSeconds = (now.getTime() - authDate.getTime()) / 1000
  if (ageSeconds > maxAgeSeconds) fail('auth_expired', 'Init data is expired')
  if (ageSeconds < -MAX_FUTURE_SKEW_SECONDS) fail('auth_malformed', '"auth_date" is in the future')
}

/** Misconfiguration is a programmer error (a 500), never an InitDataError. */
function checkOptions(maxAgeSeconds: number, now: Date | undefined, thirdParty?: ThirdPartyOptions | false): Date {
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) throw new RangeError('maxAgeSeconds must be a positive number')
  if (now !== undefined && Number.isNaN(now.getTime())) throw new RangeError('now must be a valid Date')
  if (thirdParty && (!Number.isSafeInteger(thirdParty.botId) || thirdParty.botId <= 0 || !Object.hasOwn(TELEGRAM_PUBLIC_KEYS, thirdParty.environment))) {
    throw new RangeError('thirdParty needs a positive integer botId and a known environment')
  }
  return now ?? new Date()
}

function verifyThirdParty(pairs: Map<string, string>, { botId, environment }: ThirdPartyOptions): void {
  const signature = pairs.get('signature')
  if (signature === undefined) return fail('auth_malformed', '"signature" is missing')
  const sig = Buffer.from(signature, 'base64url')
  // Only the canonical unpadded base64url of exactly 64 bytes; re-encoded variants are refused.
  if (sig.length !== 64 || sig.toString('base64url') !== signature) return fail('auth_malformed', '"signature" is not base64url')
  const key = (publicKeys[environment] ??= createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(TELEGRAM_PUBLIC_KEYS[environment], 'hex').toString('base64url') },
    format: 'jwk',
  }))
  const data = Buffer.from(`${botId}:WebAppData\n${checkString(pairs, ['hash', 'signature'])}`, 'utf8')
  if (!verify(null, data, key, sig)) fail('auth_invalid_signature', 'Ed25519 signature is invalid')
}

function parseJson<T>(schema: z.ZodType<T>, pairs: Map<string, string>, key: string): T | undefined {
  const value = pairs.get(key)
  if (value === undefined) return undefined
  let json: unknown
  try {
    json = JSON.parse(value)
  } catch {
    return fail('auth_malformed', `"${key}" is not JSON`)
  }
  const result = schema.safeParse(json)
  return result.success ? result.data : fail('auth_malformed', `"${key}" has an unexpected shape`)
}

/** Builds the typed view; runs only on authenticated data, so forged JSON is never interpreted. */
function toInitData(raw: string, pairs: Map<string, string>, authDate: Date): TelegramInitData {
  const canSendAfter = pairs.get('can_send_after')
  if (canSendAfter !== undefined && !UNSIGNED_INT.test(canSendAfter)) fail('auth_malformed', '"can_send_after" is not an integer')
  return compact<TelegramInitData>({
    raw,
    authDate,
    user: parseJson(userSchema, pairs, 'user'),
    receiver: parseJson(userSchema, pairs, 'receiver'),
    chat: parseJson(chatSchema, pairs, 'chat'),
    chatType: pairs.get('chat_type'),
    chatInstance: pairs.get('chat_instance'),
    startParam: pairs.get('start_param'),
    queryId: pairs.get('query_id'),
    canSendAfter: canSendAfter === undefined ? undefined : Number(canSendAfter),
    hash: pairs.get('hash') ?? '',
    signature: pairs.get('signature'),
  })
}

/**
 * First-party check with the bot token's HMAC: how our own users are authenticated.
 * Order: parse -> signature(s) -> freshness -> typed fields, so a forgery always reports
 * `auth_invalid_signature` and a genuine but old string `auth_expired`.
 */
export function validateInitData(raw: string, options: ValidateInitDataOptions): TelegramInitData {
  const now = checkOptions(options.maxAgeSeconds, options.now, options.thirdParty)
  if (typeof options.botToken !== 'string' || options.botToken === '') throw new TypeError('botToken is required')
  const pairs = parsePairs(raw)
  const hash = pairs.get('hash')
  if (hash === undefined) return fail('auth_malformed', '"hash" is missing')
  if (!/^[0-9a-f]{64}$/.test(hash)) return fail('auth_malformed', '"hash" is not 64 lowercase hex characters')
  const authDate = parseAuthDate(pairs)
  const expected = Buffer.from(hmacHex(checkString(pairs, ['hash']), options.botToken), 'hex')
  if (!safeEqual(expected, Buffer.from(hash, 'hex'))) fail('auth_invalid_signature', 'Init data signature is invalid')
  if (options.thirdParty) verifyThirdParty(pairs, options.thirdParty)
  checkFreshness(authDate, options.maxAgeSeconds, now)
  return toInitData(raw, pairs, authDate)
}

/** Third-party check of Telegram's Ed25519 `signature`, for services that know the bot id but not its token. */
export function validateInitDataThirdParty(raw: string, options: ThirdPartyOptions & { maxAgeSeconds: number; now?: Date }): TelegramInitData {
  const now = checkOptions(options.maxAgeSeconds, options.now, options)
  const pairs = parsePairs(raw)
  const authDate = parseAuthDate(pairs)
  verifyThirdParty(pairs, options)
  checkFreshness(authDate, options.maxAgeSeconds, now)
  return toInitData(raw, pairs, authDate)
}

/**
 * Signs fields the way Telegram does (HMAC with the bot token), for the sandbox's demo users and tests.
 * Values are used verbatim (`user` must already be a JSON string); the output is URLSearchParams-encoded.
 */
export function signInitData(fields: Record<string, string>, botToken: string, authDate: Date): string {
  if (Number.isNaN(authDate.getTime())) throw new RangeError('authDate must be a valid Date')
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'hash' || key === 'auth_date' || !PLAIN_KEY.test(key) || value.includes('\n')) throw new TypeError(`Cannot sign field "${key}"`)
  }
  const params = new URLSearchParams({ ...fields, auth_date: String(Math.floor(authDate.getTime() / 1000)) })
  params.append('hash', hmacHex(checkString(new Map(params), []), botToken))
  return params.toString()
}
