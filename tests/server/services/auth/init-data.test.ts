import { createHmac } from 'node:crypto'
import { isValid as tmaIsValid, sign as tmaSign, validate as tmaValidate } from '@tma.js/init-data-node'
import { describe, expect, it } from 'vitest'
import {
  InitDataError,
  parseAuthorizationHeader,
  signInitData,
  validateInitData,
  validateInitDataThirdParty,
  type InitDataErrorCode,
} from '../../../../server/services/auth/init-data'

/*
 * Public vectors, copied verbatim from the tma.js project (Telegram-Mini-Apps/tma.js):
 * - DOCS: docs page platform/init-data, "Validating > Example" (bot token, init data, secret, hash).
 * - REAL: a string signed by Telegram itself (hash AND Ed25519 signature), from
 *   packages/init-data-node/src/entries/node.test.ts (token, botId 7342037359) and the third-party
 *   example of the same docs page. Its user JSON contains `\/` escaped slashes.
 * - LEGACY: the @telegram-apps/init-data-node docs `validate` example (has query_id).
 * - TMA_SIGN: the expected output of `sign()` in packages/init-data-node/src/entries/node.test.ts
 *   (chat, receiver, can_send_after, start_param and `signature=abc` inside the HMAC).
 */
const DOCS = {
  token: '5768337691:AAGDAe6rjxu1cUgxK4BizYi--Utc3J9v5AU',
  secretHex: 'aa492a44bdf019c759defb1698c1d77690189973945491a756051cdc1207a449',
  authDate: 1709144340,
  raw:
    'user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22en%22%2C%22is_premium%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%7D' +
    '&chat_instance=-3788475317572404878' +
    '&chat_type=private' +
    '&auth_date=1709144340' +
    '&hash=371697738012ebd26a111ace4aff23ee265596cd64026c8c3677956a85ca1827',
}

const REAL = {
  token: '7342037359:AAFZehRPBRs8Seg40oDjTMIW8uTGPuW1zfQ',
  botId: 7342037359,
  authDate: 1733584787,
  signature: 'zL-ucjNyREiHDE8aihFwpfR9aggP2xiAo3NSpfe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ',
  hash: '2174df5b000556d044f3f020384e879c8efcab55ddea2ced4eb752e93e7080d6',
  raw:
    'user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%20%2B%20-%20%3F%20%5C%2F%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2F4FPEE4tmP3ATHa57u6MqTDih13LTOiMoKoLDRG4PnSA.svg%22%7D' +
    '&chat_instance=8134722200314281151' +
    '&chat_type=private' +
    '&auth_date=1733584787' +
    '&signature=zL-ucjNyREiHDE8aihFwpfR9aggP2xiAo3NSpfe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ' +
    '&hash=2174df5b000556d044f3f020384e879c8efcab55ddea2ced4eb752e93e7080d6',
}

const LEGACY = {
  token: '5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8',
  authDate: 1662771648,
  raw:
    'query_id=AAHdF6IQAAAAAN0XohDhrOrc' +
    '&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%7D' +
    '&auth_date=1662771648' +
    '&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2',
}

const TMA_SIGN = {
  token: '5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8',
  authDate: 1,
  raw: 'can_send_after=10000&chat=%7B%22id%22%3A1%2C%22type%22%3A%22group%22%2C%22username%22%3A%22my-chat%22%2C%22title%22%3A%22chat-title%22%2C%22photo_url%22%3A%22chat-photo%22%7D&chat_instance=888&chat_type=sender&query_id=QUERY&receiver=%7B%22added_to_attachment_menu%22%3Afalse%2C%22allows_write_to_pm%22%3Atrue%2C%22first_name%22%3A%22receiver-first-name%22%2C%22id%22%3A991%2C%22is_bot%22%3Afalse%2C%22is_premium%22%3Atrue%2C%22language_code%22%3A%22ru%22%2C%22last_name%22%3A%22receiver-last-name%22%2C%22photo_url%22%3A%22receiver-photo%22%2C%22username%22%3A%22receiver-username%22%7D&start_param=debug&user=%7B%22added_to_attachment_menu%22%3Afalse%2C%22allows_write_to_pm%22%3Afalse%2C%22first_name%22%3A%22user-first-name%22%2C%22id%22%3A222%2C%22is_bot%22%3Atrue%2C%22is_premium%22%3Afalse%2C%22language_code%22%3A%22en%22%2C%22last_name%22%3A%22user-last-name%22%2C%22photo_url%22%3A%22user-photo%22%2C%22username%22%3A%22user-username%22%7D&signature=abc&auth_date=1&hash=cb81cd88e9cc232953c788ebbce5c53d4100b11672af19165a5d24f45dae46be',
}

const DAY = 86_400
const at = (unixSeconds: number, offsetSeconds = 0) => new Date((unixSeconds + offsetSeconds) * 1000)
const REAL_3P = { botId: REAL.botId, environment: 'production' } as const

/** Runs `fn` and returns the InitDataError code it threw (fails the test on any other outcome). */
function codeOf(fn: () => unknown): InitDataErrorCode {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InitDataError)
    return (error as InitDataError).code
  }
  throw new Error('expected an InitDataError, nothing was thrown')
}

/** Replaces the raw (still percent-encoded) value of one parameter, leaving the rest byte-for-byte. */
function withParam(raw: string, key: string, encodedValue: string): string {
  let found = false
  const out = raw.split('&').map((part) => {
    if (!part.startsWith(`${key}=`)) return part
    found = true
    return `${key}=${encodedValue}`
  })
  if (!found) out.splice(out.length - 1, 0, `${key}=${encodedValue}`)
  return out.join('&')
}
const paramOf = (raw: string, key: string) => raw.split('&').find((p) => p.startsWith(`${key}=`))!.slice(key.length + 1)
const withoutParam = (raw: string, key: string) => raw.split('&').filter((p) => !p.startsWith(`${key}=`)).join('&')

const validateReal = (raw: string, extra: Partial<Parameters<typeof validateInitData>[1]> = {}) =>
  validateInitData(raw, { botToken: REAL.token, maxAgeSeconds: DAY, now: at(REAL.authDate), ...extra })

describe('public vectors', () => {
  it('docs example: secret key and hash match the published values', () => {
    expect(createHmac('sha256', 'WebAppData').update(DOCS.token).digest('hex')).toBe(DOCS.secretHex)
    const data = validateInitData(DOCS.raw, { botToken: DOCS.token, maxAgeSeconds: 3600, now: at(DOCS.authDate) })
    expect(data).toEqual({
      raw: DOCS.raw,
      authDate: at(DOCS.authDate),
      user: {
        id: 279058397,
        firstName: 'Vladislav',
        lastName: 'Kibenko',
        username: 'vdkfrost',
        languageCode: 'en',
        isPremium: true,
        allowsWriteToPm: true,
      },
      chatInstance: '-3788475317572404878',
      chatType: 'private',
      hash: '371697738012ebd26a111ace4aff23ee265596cd64026c8c3677956a85ca1827',
    })
  })

  it('real Telegram-signed string: HMAC (signature kept in), `\\/` escapes validated as received', () => {
    const data = validateReal(REAL.raw)
    expect(data.user).toEqual({
      id: 279058397,
      firstName: 'Vladislav + - ? /',
      lastName: 'Kibenko',
      username: 'vdkfrost',
      languageCode: 'ru',
      isPremium: true,
      allowsWriteToPm: true,
      photoUrl: 'https://t.me/i/userpic/320/4FPEE4tmP3ATHa57u6MqTDih13LTOiMoKoLDRG4PnSA.svg',
    })
    expect(data).toMatchObject({ signature: REAL.signature, hash: REAL.hash, chatType: 'private', authDate: at(REAL.authDate) })
    // The raw user value really contains `\/`; re-serialising it would drop the backslashes.
    expect(decodeURIComponent(paramOf(REAL.raw, 'user'))).toContain('https:\\/\\/t.me')
  })

  it('real Telegram-signed string: Ed25519 third-party check with bot id 7342037359', () => {
    expect(validateInitDataThirdParty(REAL.raw, { ...REAL_3P, maxAgeSeconds: DAY, now: at(REAL.authDate) }).user?.id).toBe(279058397)
    expect(validateReal(REAL.raw, { thirdParty: REAL_3P }).user?.id).toBe(279058397)
    // Wrong environment key or wrong bot id: the signature does not verify.
    expect(codeOf(() => validateReal(REAL.raw, { thirdParty: { ...REAL_3P, environment: 'test' } }))).toBe('auth_invalid_signature')
    expect(codeOf(() => validateReal(REAL.raw, { thirdParty: { ...REAL_3P, botId: REAL.botId + 1 } }))).toBe('auth_invalid_signature')
    expect(codeOf(() => validateInitDataThirdParty(REAL.raw, { botId: 5768337691, environment: 'production', maxAgeSeconds: DAY, now: at(REAL.authDate) }))).toBe('auth_invalid_signature')
  })

  it('legacy docs example with query_id', () => {
    const data = validateInitData(LEGACY.raw, { botToken: LEGACY.token, maxAgeSeconds: 60, now: at(LEGACY.authDate) })
    expect(data).toMatchObject({ queryId: 'AAHdF6IQAAAAAN0XohDhrOrc', user: { id: 279058397, isPremium: true, allowsWriteToPm: false } })
  })

  it('tma.js sign() vector: chat, receiver, can_send_after and a signature inside the HMAC', () => {
    const data = validateInitData(TMA_SIGN.raw, { botToken: TMA_SIGN.token, maxAgeSeconds: 60, now: at(TMA_SIGN.authDate) })
    expect(data).toMatchObject({
      canSendAfter: 10000,
      chat: { id: 1, type: 'group', title: 'chat-title', username: 'my-chat', photoUrl: 'chat-photo' },
      chatInstance: '888',
      chatType: 'sender',
      queryId: 'QUERY',
      startParam: 'debug',
      signature: 'abc',
      receiver: { id: 991, firstName: 'receiver-first-name', isBot: false, isPremium: true, allowsWriteToPm: true, addedToAttachmentMenu: false },
      user: { id: 222, firstName: 'user-first-name', isBot: true, isPremium: false, languageCode: 'en', photoUrl: 'user-photo' },
    })
    // Removing `signature` changes the data check string (it is only excluded from the Ed25519 check).
    expect(codeOf(() => validateInitData(withoutParam(TMA_SIGN.raw, 'signature'), { botToken: TMA_SIGN.token, maxAgeSeconds: 60, now: at(1) }))).toBe('auth_invalid_signature')
    // "abc" is not a 64-byte base64url signature.
    expect(codeOf(() => validateInitData(TMA_SIGN.raw, { botToken: TMA_SIGN.token, maxAgeSeconds: 60, now: at(1), thirdParty: REAL_3P }))).toBe('auth_malformed')
  })
})

describe('tampering', () => {
  const userJson = decodeURIComponent(paramOf(REAL.raw, 'user'))
  const forged = {
    user: withParam(REAL.raw, 'user', encodeURIComponent(userJson.replace('279058397', '279058398'))),
    auth_date: withParam(REAL.raw, 'auth_date', String(REAL.authDate + 1)),
    query_id: withParam(REAL.raw, 'query_id', 'AAHdF6IQAAAAAN0XohDhrOrc'),
    chat_type: withParam(REAL.raw, 'chat_type', 'group'),
    signature: withParam(REAL.raw, 'signature', `${REAL.signature.slice(0, 10)}${REAL.signature[10] === 'A' ? 'B' : 'A'}${REAL.signature.slice(11)}`),
    hash: withParam(REAL.raw, 'hash', `${REAL.hash.slice(0, -1)}${REAL.hash.endsWith('0') ? '1' : '0'}`),
  }

  it.each(Object.entries(forged))('changing %s -> auth_invalid_signature (HMAC)', (_field, raw) => {
    expect(raw).not.toBe(REAL.raw)
    expect(codeOf(() => validateReal(raw))).toBe('auth_invalid_signature')
    expect(tmaIsValid(raw, REAL.token, { expiresIn: 0 })).toBe(false)
  })

  it.each(Object.entries(forged).filter(([field]) => field !== 'hash'))('changing %s -> auth_invalid_signature (Ed25519)', (_field, raw) => {
    expect(codeOf(() => validateInitDataThirdParty(raw, { ...REAL_3P, maxAgeSeconds: DAY, now: at(REAL.authDate) }))).toBe('auth_invalid_signature')
  })

  it('the Ed25519 check ignores `hash`; a non-canonical signature encoding is malformed', () => {
    const opts = { ...REAL_3P, maxAgeSeconds: DAY, now: at(REAL.authDate) }
    expect(() => validateInitDataThirdParty(forged.hash, opts)).not.toThrow()
    expect(codeOf(() => validateInitDataThirdParty(withParam(REAL.raw, 'signature', `${REAL.signature}%3D%3D`), opts))).toBe('auth_malformed')
    // Last char carries 2 unused bits: "Q" -> "R" decodes to the same bytes but is not canonical.
    expect(codeOf(() => validateInitDataThirdParty(withParam(REAL.raw, 'signature', `${REAL.signature.slice(0, -1)}R`), opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitDataThirdParty(withoutParam(REAL.raw, 'signature'), opts))).toBe('auth_malformed')
  })

  it('wrong bot token -> auth_invalid_signature', () => {
    expect(codeOf(() => validateInitData(REAL.raw, { botToken: `${REAL.token}A`, maxAgeSeconds: DAY, now: at(REAL.authDate) }))).toBe('auth_invalid_signature')
    expect(codeOf(() => validateInitData(DOCS.raw, { botToken: REAL.token, maxAgeSeconds: DAY, now: at(DOCS.authDate) }))).toBe('auth_invalid_signature')
  })

  it('reordering parameters or re-encoding them equivalently keeps the signature valid', () => {
    const parts = REAL.raw.split('&')
    expect(() => validateReal([...parts].reverse().join('&'))).not.toThrow()
    expect(() => validateReal(REAL.raw.replace('chat_type=private', 'chat_type=%70rivate').replace(/%20/g, '+'))).not.toThrow()
  })
})

describe('freshness', () => {
  it('expired genuine data -> auth_expired; the boundary itself is accepted', () => {
    expect(() => validateReal(REAL.raw, { maxAgeSeconds: 3600, now: at(REAL.authDate, 3600) })).not.toThrow()
    expect(codeOf(() => validateReal(REAL.raw, { maxAgeSeconds: 3600, now: at(REAL.authDate, 3601) }))).toBe('auth_expired')
    expect(codeOf(() => validateReal(REAL.raw, { now: new Date() }))).toBe('auth_expired')
    expect(codeOf(() => validateInitDataThirdParty(REAL.raw, { ...REAL_3P, maxAgeSeconds: 60, now: at(REAL.authDate, 61) }))).toBe('auth_expired')
  })

  it('signature is checked before expiry: an old forgery is auth_invalid_signature', () => {
    const forged = withParam(REAL.raw, 'chat_type', 'group')
    expect(codeOf(() => validateReal(forged, { now: new Date() }))).toBe('auth_invalid_signature')
  })

  it('auth_date more than 5 minutes in the future -> auth_malformed', () => {
    expect(() => validateReal(REAL.raw, { now: at(REAL.authDate, -300) })).not.toThrow()
    expect(codeOf(() => validateReal(REAL.raw, { now: at(REAL.authDate, -301) }))).toBe('auth_malformed')
  })

  it('rejects nonsense options as programmer errors, not auth errors', () => {
    expect(() => validateReal(REAL.raw, { maxAgeSeconds: 0 })).toThrow(RangeError)
    expect(() => validateReal(REAL.raw, { botToken: '' })).toThrow(TypeError)
    expect(() => validateReal(REAL.raw, { thirdParty: { botId: -1, environment: 'production' } })).toThrow(RangeError)
  })
})

describe('malformed input', () => {
  const token = REAL.token
  const opts = { botToken: token, maxAgeSeconds: DAY, now: at(REAL.authDate) }

  it('missing or bad hash -> auth_malformed', () => {
    expect(codeOf(() => validateInitData(withoutParam(REAL.raw, 'hash'), opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitData(withParam(REAL.raw, 'hash', 'abc'), opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitData(withParam(REAL.raw, 'hash', REAL.hash.toUpperCase()), opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitData(withParam(REAL.raw, 'hash', `${REAL.hash}00`), opts))).toBe('auth_malformed')
  })

  it('missing or non-integer auth_date -> auth_malformed', () => {
    expect(codeOf(() => validateInitData(withoutParam(REAL.raw, 'auth_date'), opts))).toBe('auth_malformed')
    for (const bad of ['', 'abc', '1.5', '-1', '1e9', '%201733584787', '0x10']) {
      expect(codeOf(() => validateInitData(withParam(REAL.raw, 'auth_date', bad), opts))).toBe('auth_malformed')
    }
  })

  it('duplicated parameters -> auth_malformed (never picks one)', () => {
    expect(codeOf(() => validateInitData(`${REAL.raw}&auth_date=${REAL.authDate}`, opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitData(`${REAL.raw}&hash=${REAL.hash}`, opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitData(`us%65r=%7B%7D&${REAL.raw}`, opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitDataThirdParty(`${REAL.raw}&signature=${REAL.signature}`, { ...REAL_3P, maxAgeSeconds: DAY, now: at(REAL.authDate) }))).toBe('auth_malformed')
  })

  it('newlines in values and "=" in keys are refused: they could fake data-check-string lines', () => {
    // Folding the genuine `user` line into the `signature` value yields the same HMAC input.
    const smuggled = withParam(withoutParam(REAL.raw, 'user'), 'signature', `${REAL.signature}%0Auser%3D${paramOf(REAL.raw, 'user')}`)
    expect(codeOf(() => validateInitData(smuggled, opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitData(`chat_type%3Dprivate=x&${REAL.raw}`, opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitData(withParam(REAL.raw, 'start_param', 'a%0Ab'), opts))).toBe('auth_malformed')
  })

  it('oversized input (9 KB) -> auth_malformed', () => {
    const big = `${REAL.raw}&pad=${'a'.repeat(9 * 1024)}`
    expect(codeOf(() => validateInitData(big, opts))).toBe('auth_malformed')
    expect(codeOf(() => validateInitDataThirdParty(big, { ...REAL_3P, maxAgeSeconds: DAY }))).toBe('auth_malformed')
    expect(codeOf(() => parseAuthorizationHeader(`tma ${big}`))).toBe('auth_malformed')
  })

  it('garbage strings -> InitDataError with a 4xx-style code', () => {
    const cases: [string, InitDataErrorCode][] = [
      ['', 'auth_missing'],
      ['%', 'auth_malformed'],
      ['user=%E0%A4%A', 'auth_malformed'],
      ['=', 'auth_malformed'],
      ['&', 'auth_malformed'],
      ['hash', 'auth_malformed'],
      ['a=1&&b=2', 'auth_malformed'],
      ['user=%ED%A0%80&auth_date=1&hash=' + 'a'.repeat(64), 'auth_malformed'],
      [`${REAL.raw}&`, 'auth_malformed'],
      [`?${REAL.raw}`, 'auth_malformed'],
    ]
    for (const [raw, code] of cases) {
      expect(codeOf(() => validateInitData(raw, opts)), raw).toBe(code)
      expect(codeOf(() => validateInitDataThirdParty(raw, { ...REAL_3P, maxAgeSeconds: DAY })), raw).toBe(code)
    }
  })

  it('a genuinely signed but wrongly shaped user JSON -> auth_malformed', () => {
    const now = new Date()
    const opts2 = { botToken: token, maxAgeSeconds: 60, now }
    for (const user of ['{', 'null', '[]', '{"id":"1","first_name":"A"}', '{"id":1}', '{"id":1.5,"first_name":"A"}', '{"id":1,"first_name":"A","is_premium":"yes"}']) {
      expect(codeOf(() => validateInitData(signInitData({ user }, token, now), opts2)), user).toBe('auth_malformed')
    }
    expect(codeOf(() => validateInitData(signInitData({ chat: '{"id":1}' }, token, now), opts2))).toBe('auth_malformed')
    expect(codeOf(() => validateInitData(signInitData({ can_send_after: 'soon' }, token, now), opts2))).toBe('auth_malformed')
    // Unknown fields (top-level and inside user) are tolerated: Telegram adds fields over time.
    const ok = validateInitData(signInitData({ user: '{"id":1,"first_name":"A","new_flag":true}', new_field: 'x' }, token, now), opts2)
    expect(ok.user).toEqual({ id: 1, firstName: 'A', isPremium: false, allowsWriteToPm: false })
  })
})

/** Small deterministic PRNG so fuzz failures are reproducible. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('fuzzing: every failure is an InitDataError', () => {
  const rand = prng(20240601)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const alphabet = [...'abcdefhstu_=&%+ 0123456789ABCDEF?#\n\\"{}:,', 'é', '😀', '\ud800', '\udfff', '%E0', '%ED%A0%80', '%25', 'hash=', 'auth_date=', 'user=', 'signature=']
  const randomString = () => Array.from({ length: Math.floor(rand() * 80) }, () => pick(alphabet)).join('')
  const mutate = (raw: string) => {
    const i = Math.floor(rand() * raw.length)
    switch (Math.floor(rand() * 6)) {
      case 0: return raw.slice(0, i) + raw.slice(i + 1)
      case 1: return raw.slice(0, i) + pick(alphabet) + raw.slice(i)
      case 2: return raw.slice(0, i) + pick(alphabet) + raw.slice(i + 1)
      case 3: return raw.slice(0, i)
      case 4: { const parts = raw.split('&'); parts.push(pick(parts)); return parts.join('&') }
      default: return raw.slice(0, i) + '%' + raw.charCodeAt(i).toString(16).toUpperCase().padStart(2, '0') + raw.slice(i + 1)
    }
  }
  const inputs = [
    ...Array.from({ length: 300 }, randomString),
    ...Array.from({ length: 300 }, () => mutate(pick([REAL.raw, DOCS.raw, LEGACY.raw, TMA_SIGN.raw]))),
    ...Array.from({ length: 100 }, () => mutate(mutate(mutate(REAL.raw)))),
  ]

  it('validateInitData / validateInitDataThirdParty / parseAuthorizationHeader never throw anything else', () => {
    let accepted = 0
    for (const raw of inputs) {
      for (const run of [
        () => validateReal(raw),
        () => validateReal(raw, { thirdParty: REAL_3P }),
        () => validateInitDataThirdParty(raw, { ...REAL_3P, maxAgeSeconds: DAY, now: at(REAL.authDate) }),
        () => parseAuthorizationHeader(`tma ${raw}`),
        () => parseAuthorizationHeader(raw),
      ]) {
        try {
          run()
        } catch (error) {
          if (!(error instanceof InitDataError)) throw new Error(`non-InitDataError for ${JSON.stringify(raw)}: ${String(error)}`, { cause: error })
        }
      }
      // Anything we accept, the reference implementation accepts too (we are never more lenient).
      try {
        validateReal(raw)
        accepted += 1
        expect(tmaIsValid(raw, REAL.token, { expiresIn: 0 }), raw).toBe(true)
      } catch {
        // rejected: fine
      }
    }
    expect(accepted).toBeLessThan(inputs.length)
  })
})

describe('agreement with @tma.js/init-data-node', () => {
  const token = '123456789:AAE-fake-token-for-tests_only'
  const users = [
    { id: 1, first_name: 'Ann' },
    { id: 279058397, first_name: 'Vladislav + - ? /', last_name: 'K', username: 'vdk', language_code: 'ru', is_premium: true, allows_write_to_pm: true, photo_url: 'https://t.me/i/userpic/320/x.svg' },
    { id: 42, first_name: 'Ünïcødé 😀 & = % + # \\ "quoted"', added_to_attachment_menu: true, is_bot: false },
    { id: 9007199254740991, first_name: 'a\nb\tc' },
  ]

  it.each(users.map((u) => [u.first_name, u] as const))('tma.js sign() -> our validateInitData (%s)', (_name, user) => {
    const authDate = new Date(1_750_000_000_000)
    const raw = tmaSign({ user, query_id: 'AAQ', start_param: 'promo_1', chat_type: 'private', chat_instance: '-1' }, token, authDate)
    const data = validateInitData(raw, { botToken: token, maxAgeSeconds: 60, now: authDate })
    expect(data.user).toMatchObject({ id: user.id, firstName: user.first_name })
    expect(data).toMatchObject({ queryId: 'AAQ', startParam: 'promo_1', signature: '', authDate })
    expect(codeOf(() => validateInitData(raw, { botToken: `${token}x`, maxAgeSeconds: 60, now: authDate }))).toBe('auth_invalid_signature')
  })

  it.each(users.map((u) => [u.first_name, u] as const))('our signInitData() -> tma.js validate (%s)', (_name, user) => {
    const authDate = new Date(1_750_000_000_000)
    const raw = signInitData({ user: JSON.stringify(user), query_id: 'AAQ', chat_type: 'sender' }, token, authDate)
    expect(() => tmaValidate(raw, token, { expiresIn: 0 })).not.toThrow()
    expect(tmaIsValid(raw, `${token}x`, { expiresIn: 0 })).toBe(false)
    expect(validateInitData(raw, { botToken: token, maxAgeSeconds: 60, now: authDate }).user?.id).toBe(user.id)
  })

  it('same fields give the same hash from both signers', () => {
    const authDate = new Date(1_700_000_000_000)
    const user = users[1]!
    const theirs = new URLSearchParams(tmaSign({ user, query_id: 'Q' }, token, authDate))
    const ours = new URLSearchParams(signInitData({ user: theirs.get('user')!, query_id: 'Q', signature: '' }, token, authDate))
    expect(ours.get('hash')).toBe(theirs.get('hash'))
  })

  it('random field sets: both validators accept our output and reject it once a value changes', () => {
    const rand = prng(7)
    const authDate = new Date(1_760_000_000_000)
    for (let i = 0; i < 50; i += 1) {
      const word = () => Array.from({ length: 1 + Math.floor(rand() * 12) }, () => String.fromCodePoint(32 + Math.floor(rand() * 400))).join('')
      const raw = signInitData({ user: JSON.stringify({ id: i + 1, first_name: word() }), start_param: word(), chat_instance: word() }, token, authDate)
      expect(tmaIsValid(raw, token, { expiresIn: 0 })).toBe(true)
      expect(() => validateInitData(raw, { botToken: token, maxAgeSeconds: 60, now: authDate })).not.toThrow()
      const broken = raw.replace('start_param=', 'start_param=%7E')
      expect(tmaIsValid(broken, token, { expiresIn: 0 })).toBe(false)
      expect(codeOf(() => validateInitData(broken, { botToken: token, maxAgeSeconds: 60, now: authDate }))).toBe('auth_invalid_signature')
    }
  })
})

describe('signInitData', () => {
  it('produces URLSearchParams encoding with auth_date in seconds and hash last', () => {
    const raw = signInitData({ user: '{"id":1,"first_name":"A B"}', query_id: 'Q' }, REAL.token, new Date(1_700_000_000_999))
    expect(raw).toMatch(/^user=%7B%22id%22%3A1%2C%22first_name%22%3A%22A\+B%22%7D&query_id=Q&auth_date=1700000000&hash=[0-9a-f]{64}$/)
  })

  it('refuses fields it cannot sign unambiguously', () => {
    expect(() => signInitData({ hash: 'x' }, REAL.token, new Date())).toThrow(TypeError)
    expect(() => signInitData({ auth_date: '1' }, REAL.token, new Date())).toThrow(TypeError)
    expect(() => signInitData({ 'a=b': '1' }, REAL.token, new Date())).toThrow(TypeError)
    expect(() => signInitData({ a: 'x\ny=1' }, REAL.token, new Date())).toThrow(TypeError)
    expect(() => signInitData({}, REAL.token, new Date(Number.NaN))).toThrow(RangeError)
  })
})

describe('parseAuthorizationHeader', () => {
  it('extracts the init data after the tma scheme', () => {
    expect(parseAuthorizationHeader(`tma ${REAL.raw}`)).toBe(REAL.raw)
    expect(parseAuthorizationHeader(`TMA ${REAL.raw}`)).toBe(REAL.raw)
    expect(parseAuthorizationHeader(`Tma    ${REAL.raw}  `)).toBe(REAL.raw)
    expect(() => validateReal(parseAuthorizationHeader(`tma ${REAL.raw}`))).not.toThrow()
  })

  it('missing header or missing credentials -> auth_missing', () => {
    for (const header of [undefined, null, '', '   ', 'tma', 'tma   ']) {
      expect(codeOf(() => parseAuthorizationHeader(header)), String(header)).toBe('auth_missing')
    }
  })

  it('other schemes or shapes -> auth_malformed', () => {
    for (const header of ['Bearer abc', 'Basic dXNlcjpwYXNz', 'tmaabc', 'tma\tabc', 'tma:abc', `tma ${'a'.repeat(8200)}`]) {
      expect(codeOf(() => parseAuthorizationHeader(header)), header.slice(0, 20)).toBe('auth_malformed')
    }
  })
})
