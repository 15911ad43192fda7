/**
 * Request generators for the OpenAPI fuzz suite (tests/e2e/fuzz.test.ts), built with fast-check
 * from the app's own OpenAPI document: every parameter and body field gets values its schema
 * allows (to reach deep into the handlers) mixed with what it does not — wrong types, numbers out
 * of range (int4, 2^53, 1e308), NUL, lone surrogates and invalid UTF-8, huge strings, missing
 * required fields and unknown extra ones — so a new route is fuzzed the day it is documented.
 */
import fc from 'fast-check'

/** The parts of JSON Schema (draft 2020-12, as zod emits it) the generators read. */
export interface JsonSchema {
  type?: string
  const?: unknown
  enum?: unknown[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  pattern?: string
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: JsonSchema | boolean
  propertyNames?: JsonSchema
}

interface OpenApiOperationObject {
  parameters?: OpenApiParameter[]
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
  security?: Record<string, unknown>[]
  'x-permission'?: string
  'x-body-limit': number
}

export interface OpenApiParameter {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  schema: JsonSchema
}

export interface OpenApiOperation {
  method: string
  path: string
  parameters: OpenApiParameter[]
  bodySchema?: JsonSchema
  bodyType?: 'application/json' | 'text/csv' | 'multipart/form-data'
  bodyLimit: number
  auth: 'public' | 'tma' | 'staff' | 'cookie' | 'telegram' | 'bearer' | 'apiKey'
}

/** What the document says about each operation, flattened. */
export function operationsOf(document: { paths: Record<string, Record<string, OpenApiOperationObject>> }): OpenApiOperation[] {
  const list: OpenApiOperation[] = []
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {}
      const bodyType = (Object.keys(content)[0] as OpenApiOperation['bodyType']) ?? undefined
      const security: string[] = (op.security ?? []).flatMap((s) => Object.keys(s))
      const auth = op.parameters?.some((p) => p.name === 'X-Telegram-Bot-Api-Secret-Token')
        ? 'telegram'
        : security.includes('metricsToken')
          ? 'bearer'
          : security.includes('partnerApiKey')
            ? 'apiKey'
            : op['x-permission']
              ? 'staff'
              : security.includes('tmaInitData')
                ? 'tma'
                : security.includes('adminSession')
                  ? 'cookie'
                  : 'public'
      list.push({ method: method.toUpperCase(), path, parameters: op.parameters ?? [], bodySchema: content[bodyType ?? '']?.schema, bodyType, bodyLimit: op['x-body-limit'], auth })
    }
  }
  return list
}

/** Strings no schema should let through to the database. */
const NASTY_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '%00', '%FF', '\u202e\u0000', "'; drop table users; --", '../../../etc/passwd', '${7*7}', '<script>alert(1)</script>', ' ', '', '\n\r\t', '🙂'.repeat(40), '０１２３', '1e309', '-0', '0x10', 'NaN', 'Infinity', 'null', 'true', '[]', '{}']
const NASTY_NUMBERS = [-1, 0, 1.5, -2_147_483_649, 2_147_483_647, 2_147_483_648, 99_999_999_999, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 9.3e18, 1e308, -1e308, 5e-324]

const nastyString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 60_000 }).map((n) => 'Ж'.repeat(n)) },
  )
const nastyNumber = (): fc.Arbitrary<number> => fc.oneof(fc.constantFrom(...NASTY_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer())
const wrongType = (): fc.Arbitrary<unknown> => fc.constantFrom(null, true, false, [], {}, 'abc', 42, -7, [1, 'a'], { nested: { deep: [null] } })

/** Any bad value, whatever the schema. */
export const badValue = (): fc.Arbitrary<unknown> => fc.oneof(nastyString(), nastyNumber(), wrongType())

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  // The shared "storable text" pattern (no NUL, no lone surrogate) holds for everything generated here anyway.
  const patterns = [schema.pattern, ...(schema.allOf ?? []).map((s: JsonSchema) => s.pattern)].filter((p): p is string => typeof p === 'string' && !p.includes('\\u0000')).map((p) => new RegExp(p))
  const min = schema.minLength ?? 0
  const max = Math.min(schema.maxLength ?? 60, 300)
  if (schema.format === 'date-time' || schema.format === 'date') return fc.date({ min: new Date('1971-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
  if (patterns.length) {
    try {
      return fc.stringMatching(patterns[0]!, { size: 'small' }).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity) && patterns.every((p) => p.test(s)))
    } catch {}
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max) }).filter((s) => !s.includes('\u0000'))
}

function integerFor(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000)
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000_000)
  // Small ids and amounts find real rows; the rest spans the range.
  // The rest: any safe integer in range (Telegram ids and millisecond times pass 32 bits).
  const wide = fc.bigInt({ min: BigInt(Math.max(min, Number.MIN_SAFE_INTEGER)), max: BigInt(Math.min(max, Number.MAX_SAFE_INTEGER)) }).map(Number)
  const small = fc.integer({ min: Math.max(min, Math.min(max, 0)), max: Math.min(max, Math.max(min, 40)) })
  return Math.max(min, Math.min(max, 0)) > 2 ** 31 - 1 ? wide : fc.oneof(small, wide)
}

/** Values the schema accepts (best effort: patterns, ranges, enums, nesting). */
export function validValue(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 })
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum) return fc.constantFrom(...schema.enum)
  const choices = schema.anyOf ?? schema.oneOf
  if (choices) return fc.oneof(...choices.map((s: JsonSchema) => validValue(s, depth + 1)))
  switch (schema.type) {
    case 'string':
      return stringFor(schema)
    case 'integer':
      return integerFor(schema)
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(validValue(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) })
    case 'object': {
      const properties: Record<string, JsonSchema> = schema.properties ?? {}
      const required = new Set<string>(schema.required ?? [])
      const record: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [name, property] of Object.entries(properties)) record[name] = validValue(property, depth + 1)
      const base = fc.record(record, { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) })
      if (!Object.keys(properties).length && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(stringFor(schema.propertyNames ?? { type: 'string', maxLength: 20 }), validValue(schema.additionalProperties, depth + 1), { maxKeys: 3 })
      }
      return base
    }
    default:
      // Unrepresentable in JSON Schema (e.g. coerced dates): date-like text and anything else.
      return fc.oneof(fc.date({ min: new Date('1971-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom('-200000-01-01', '275760-09-13', '0000-00-00', '2025-02-30', 'yesterday'), fc.jsonValue({ maxDepth: 1 }))
  }
}

/** Mostly valid values with bad ones mixed in at every level; objects lose required fields and gain unknown ones. */
export function fuzzValue(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.oneof(fc.jsonValue({ maxDepth: 3 }), badValue())
  if (schema.type === 'object' && schema.properties) {
    const properties: Record<string, JsonSchema> = schema.properties
    const record: Record<string, fc.Arbitrary<unknown>> = {}
    for (const [name, property] of Object.entries(properties)) record[name] = fuzzValue(property, depth + 1)
    return fc
      .tuple(fc.record(record, { requiredKeys: schema.required ?? [] }), fc.option(fc.constantFrom(...Object.keys(properties)), { nil: undefined }), fc.option(fc.tuple(fc.string({ maxLength: 12 }), badValue()), { nil: undefined }))
      .map(([value, drop, extra]) => {
        const out: Record<string, unknown> = Object.fromEntries(Object.entries(value as object).filter(([key]) => key !== drop))
        if (extra) out[extra[0] || '__proto__x'] = extra[1]
        return out
      })
  }
  if (schema.type === 'array') return fc.oneof({ weight: 3, arbitrary: fc.array(fuzzValue(schema.items, depth + 1), { maxLength: 5 }) }, { weight: 1, arbitrary: badValue() })
  return fc.oneof({ weight: 3, arbitrary: validValue(schema, depth) }, { weight: 2, arbitrary: badValue() })
}

/** encodeURIComponent, which throws on lone surrogates: those go out as the (invalid) bytes of one. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text)
  } catch {
    return '%ED%A0%80'
  }
}

/** A query or path value as it travels in a URL: encoded normally, or raw with broken percent-escapes. */
export function urlValue(schema: JsonSchema): fc.Arbitrary<string> {
  const encoded = fuzzValue(schema).map((v) => encode(typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)))
  const broken = fc.constantFrom('%FF', '%C3%28', '%E0%80%AF', '%00', 'a%', '%%', '%ZZ', '%F0%9F%98', '%ED%A0%80', '99999999999', '-1', '1.5', '1e3', '0x1F', '%D9%A1%D9%A2')
  return fc.oneof({ weight: 4, arbitrary: encoded }, { weight: 1, arbitrary: broken })
}

export interface FuzzRequest {
  path: string
  query: string
  body?: Buffer
  contentType?: string
  headers: Record<string, string>
}

/** Bytes that are not valid UTF-8, inside what otherwise looks like JSON. */
const BROKEN_JSON = [Buffer.from('{"a":"\xff\xfe"}', 'latin1'), Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), Buffer.from('{"a":'), Buffer.from('null'), Buffer.from('[]'), Buffer.from('"text"'), Buffer.from('{"__proto__":{"admin":true}}'), Buffer.from('{"constructor":{"prototype":{"x":1}}}'), Buffer.alloc(0)]

function bodyFor(op: OpenApiOperation): fc.Arbitrary<{ body?: Buffer; contentType?: string }> {
  const json = (value: unknown) => ({ body: Buffer.from(JSON.stringify(value) ?? 'null'), contentType: 'application/json' })
  const oversized = fc.constant({ body: Buffer.alloc(op.bodyLimit + 1024, 0x20), contentType: op.bodyType ?? 'application/json' })
  const raw = fc.constantFrom(...BROKEN_JSON).map((body) => ({ body, contentType: 'application/json' }))
  const wrongType = fc.tuple(fc.string({ maxLength: 200 }), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=zz')).map(([text, contentType]) => ({ body: Buffer.from(text), contentType }))
  if (op.bodyType === 'text/csv') {
    const header = 'slug,category,name_ru,name_en,description_ru,description_en,price,compare_at_price,currency,stock,active,tags,images'
    const cell = fc.oneof(fc.string({ maxLength: 30 }), nastyString(), fc.constantFrom('coffee', '219,90', 'XTR', 'RUB', '99999999999', '-5', 'yes', '"quoted, cell"'))
    const row = fc.array(cell, { minLength: 0, maxLength: 14 }).map((cells) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    const csv = fc.tuple(fc.boolean(), fc.array(row, { maxLength: 6 })).map(([withHeader, rows]) => ({ body: Buffer.from([...(withHeader ? [header] : []), ...rows].join('\n')), contentType: 'text/csv' }))
    return fc.oneof({ weight: 6, arbitrary: csv }, { weight: 1, arbitrary: raw }, { weight: 1, arbitrary: oversized })
  }
  if (op.bodyType === 'multipart/form-data') {
    const part = fc.tuple(fc.constantFrom('image', 'file', ''), fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('a.png', 'a.jpg', '', '../../x', 'a\u0000.png')).map(([name, bytes, filename]) => {
      const head = Buffer.from(`--zz\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`)
      return { body: Buffer.concat([head, Buffer.from(bytes), Buffer.from('\r\n--zz--\r\n')]), contentType: 'multipart/form-data; boundary=zz' }
    })
    return fc.oneof({ weight: 6, arbitrary: part }, { weight: 1, arbitrary: wrongType }, { weight: 1, arbitrary: oversized })
  }
  if (op.bodySchema) return fc.oneof({ weight: 12, arbitrary: fuzzValue(op.bodySchema).map(json) }, { weight: 2, arbitrary: raw }, { weight: 1, arbitrary: wrongType }, { weight: 1, arbitrary: oversized })
  if (op.method === 'GET') return fc.oneof({ weight: 8, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: raw })
  return fc.oneof({ weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) }, { weight: 2, arbitrary: raw }, { weight: 1, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: oversized })
}

/** A whole request for an operation: path parameters, query, body, Idempotency-Key. */
export function requestFor(op: OpenApiOperation, telegramUpdate?: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path')
  const queryParams = op.parameters.filter((p) => p.in === 'query')
  const pathArb = fc.tuple(...pathParams.map((p) => urlValue(p.schema).map((v) => [p.name, v || 'x'] as const))).map((pairs) => pairs.reduce((path, [name, value]) => path.replace(`{${name}}`, value), op.path))
  const queryArb = fc
    .tuple(
      ...queryParams.map((p) => fc.option(fc.oneof(urlValue(p.schema), fc.array(urlValue(p.schema), { minLength: 2, maxLength: 3 })), { nil: undefined, freq: 2 }).map((v) => [p.name, v] as const)),
      fc.option(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })), { nil: undefined }),
    )
    .map((entries) => {
      const extra = entries.pop() as [string, string] | undefined
      const parts: string[] = []
      for (const [name, value] of entries as [string, string | string[] | undefined][]) {
        if (value === undefined) continue
        for (const v of [value].flat()) parts.push(`${name}=${v}`)
      }
      if (extra) parts.push(`${encode(extra[0])}=${encode(extra[1])}`)
      return parts.length ? `?${parts.join('&')}` : ''
    })
  const keyArb = fc.oneof({ weight: 6, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constantFrom('short', 'x'.repeat(300), 'bad key!', '') })
  const bodyArb = op.auth === 'telegram' && telegramUpdate ? fc.oneof({ weight: 3, arbitrary: telegramUpdate.map((u) => ({ body: Buffer.from(JSON.stringify(u)), contentType: 'application/json' })) }, { weight: 1, arbitrary: bodyFor(op) }) : bodyFor(op)
  return fc.record({ path: pathArb, query: queryArb, body: bodyArb, key: keyArb }).map(({ path, query, body, key }) => ({
    path,
    query,
    body: body.body,
    contentType: body.contentType,
    headers: op.parameters.some((p) => p.name === 'Idempotency-Key') ? { 'idempotency-key': key } : {},
  }))
}

/** Telegram updates as the webhook might get them: real shapes with odd values (the secret header is right). */
export function telegramUpdates(): fc.Arbitrary<unknown> {
  const user = fc.record({ id: fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), nastyNumber()), is_bot: fc.boolean(), first_name: fc.oneof(fc.string({ maxLength: 20 }), nastyString()), language_code: fc.constantFrom('ru', 'en', 'xx', '') })
  const text = fc.oneof(fc.string({ maxLength: 50 }), nastyString(), fc.constantFrom('/start', '/admin', '/start order_1', '/help'))
  const message = fc.record({ message_id: fc.integer({ min: 1, max: 2 ** 31 - 1 }), date: fc.integer({ min: 0, max: 2 ** 31 - 1 }), from: user, chat: fc.record({ id: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), type: fc.constantFrom('private', 'group', 'supergroup') }), text })
  const payment = fc.record({ currency: fc.constantFrom('RUB', 'XTR', 'USD', ''), total_amount: nastyNumber(), invoice_payload: fc.oneof(fc.constantFrom('order:1', 'order:99999999999', 'order:-1', 'order:'), nastyString()), telegram_payment_charge_id: fc.string({ maxLength: 20 }), provider_payment_charge_id: fc.string({ maxLength: 20 }) })
  const kinds = fc.oneof(
    message.map((m) => ({ message: m })),
    fc.tuple(message, payment).map(([m, p]) => ({ message: { ...m, successful_payment: p } })),
    fc.tuple(user, payment).map(([from, p]) => ({ pre_checkout_query: { id: String(Math.abs(Number(from.id)) || 1), from, currency: p.currency, total_amount: p.total_amount, invoice_payload: p.invoice_payload } })),
    fc.tuple(user, fc.string({ maxLength: 64 })).map(([from, data]) => ({ callback_query: { id: '1', from, chat_instance: '1', data } })),
    fc.jsonValue({ maxDepth: 2 }).map((v) => ({ unknown_kind: v })),
  )
  return fc.tuple(fc.integer({ min: 0, max: 2 ** 40 }), kinds).map(([updateId, body]) => ({ update_id: updateId, ...body }))
}
