import { z } from 'zod'
import { ERROR_CODES, type ErrorCode } from '#shared/errors'
import { ROUTES, type RouteDoc } from './routes'
import { DEFAULT_BODY_LIMIT } from '../../utils/body-limit'

type JsonSchema = Record<string, unknown>

/** Schemas as clients send them (before coercion and defaults); transforms become plain types. */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema
  delete out.$schema
  return out
}

function parameters(route: RouteDoc) {
  const list: JsonSchema[] = []
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue
    const js = jsonSchema(schema)
    const props = (js.properties ?? {}) as Record<string, JsonSchema>
    const required = new Set((js.required as string[] | undefined) ?? [])
    for (const [name, prop] of Object.entries(props)) list.push({ name, in: where, required: where === 'path' || required.has(name), schema: prop, ...(prop.description ? { description: prop.description } : {}) })
  }
  // Routes whose path has params but no schema (e.g. /files/{path}) still declare them.
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) {
    if (!list.some((p) => p.name === match[1] && p.in === 'path')) list.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } })
  }
  if (route.idempotencyKey) list.push({ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 8, maxLength: 100 }, description: 'Any client-made id (a UUID); a retry with the same key returns the first result.' })
  if (route.auth.kind === 'telegram') list.push({ name: 'X-Telegram-Bot-Api-Secret-Token', in: 'header', required: true, schema: { type: 'string' } })
  return list
}

function errorResponse(codes: ErrorCode[]) {
  return {
    description: codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].description}`).join('\n\n'),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  }
}

function responses(route: RouteDoc) {
  const codes = new Set<ErrorCode>(route.errors ?? [])
  if (route.params || route.query || route.body || route.idempotencyKey) codes.add('validation_failed')
  if (route.method !== 'get') codes.add('payload_too_large')
  if (route.auth.kind === 'tma' || route.auth.kind === 'staff') for (const c of ['auth_missing', 'auth_malformed', 'auth_invalid_signature', 'auth_expired'] as const) codes.add(c)
  if (route.auth.kind === 'staff') codes.add('forbidden')
  if (route.method !== 'get' && (route.auth.kind === 'tma' || route.auth.kind === 'staff')) codes.add('rate_limited')
  if (route.auth.kind === 'apiKey') for (const c of ['api_key_invalid', 'api_key_revoked', 'api_scope_missing', 'rate_limited'] as const) codes.add(c)
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of codes) byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code])
  const success = route.method === 'post' && (route.idempotencyKey || /create|Create|Upload/.test(route.summary)) ? '201' : '200'
  return {
    [success]: { description: 'Success', content: { [route.produces ?? 'application/json']: { schema: route.produces ? { type: 'string' } : { type: 'object' }, ...(route.example?.response ? { example: route.example.response } : {}) } } },
    ...Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, list]) => [String(status), errorResponse(list)])),
  }
}

function security(route: RouteDoc) {
  if (route.auth.kind === 'tma') return [{ tmaInitData: [] }]
  if (route.auth.kind === 'staff') return [{ tmaInitData: [] }, { adminSession: [] }]
  if (route.auth.kind === 'cookie') return [{ adminSession: [] }]
  if (route.auth.kind === 'bearer') return [{ metricsToken: [] }]
  if (route.auth.kind === 'apiKey') return [{ partnerApiKey: [] }]
  return []
}

/** The OpenAPI 3.1 document of every route in ROUTES, with schemas generated from the shared zod contracts. */
export function buildOpenApiDocument(publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of ROUTES) {
    const operation: Record<string, unknown> = {
      tags: [route.tag],
      summary: route.summary,
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: parameters(route),
      responses: responses(route),
      security: security(route),
      ...(route.auth.kind === 'staff' ? { 'x-permission': route.auth.permission } : {}),
      ...(route.auth.kind === 'apiKey' ? { 'x-scope': route.auth.scope } : {}),
      // Bodies are cut off at this many bytes with 413 payload_too_large (server/utils/body-limit.ts).
      'x-body-limit': route.bodyLimit ?? DEFAULT_BODY_LIMIT,
    }
    if (route.body) operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body), ...(route.example?.request ? { example: route.example.request } : {}) } } }
    if (route.bodyType === 'text/csv') operation.requestBody = { required: true, content: { 'text/csv': { schema: { type: 'string' } } } }
    if (route.bodyType === 'multipart/form-data') {
      operation.requestBody = { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['image'], properties: { image: { type: 'string', format: 'binary' } } } } } }
    }
    ;(paths[route.path] ??= {})[route.method] = operation
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Telegram Mini App platform API',
      version: '1.0.0',
      description:
        'The Mini App, admin and integration API. Money is in integer minor units of `currency` (RUB 149.90 = 14990; Telegram Stars count as whole stars). Errors are `{ statusCode, code, message, details?, requestId }`; `code` is stable.',
    },
    servers: [{ url: publicUrl }],
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        tmaInitData: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`tma <initDataRaw>`: the Mini App launch data, validated with the bot token.' },
        adminSession: { type: 'apiKey', in: 'cookie', name: 'tma_admin', description: 'The /admin session from a one-time link; writes also need `X-CSRF-Token`.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, for Prometheus scraping /metrics.' },
        partnerApiKey: { type: 'http', scheme: 'bearer', description: 'A partner API key (`tmak_...`) made by an owner or admin in /admin → API, with the scopes it may use (`x-scope` on each operation); limited per key per minute (429 with Retry-After).' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['statusCode', 'code', 'message'],
          properties: {
            statusCode: { type: 'integer' },
            code: { type: 'string', enum: Object.keys(ERROR_CODES) },
            message: { type: 'string' },
            details: {},
            requestId: { type: 'string' },
          },
        },
      },
    },
  }
}
