import { getHeader, setResponseHeader, type H3Event } from 'h3'
import type { ApiScope } from '#shared/schemas/partner-api'
import { systemContext, type ServiceContext } from '../services/context'
import { runIdempotent } from '../services/idempotency'
import { authenticateApiKey, type ApiCaller } from '../services/partner-api/keys'
import { enforceRateLimit } from './auth'
import { requestMeta } from './context'
import { requireIdempotencyKey } from './idempotency'
import { useServices } from './runtime'

export interface PartnerRequest {
  caller: ApiCaller
  /** Services act for the system, named after the key (`api-key:3`); audit rows name the key. */
  ctx: ServiceContext
}

/**
 * Guard for every /api/v1 route: a valid, unrevoked API key holding `scope`, within its own rate
 * limit (429 `rate_limited` with Retry-After, counted per key across replicas).
 */
export async function partnerRequest(event: H3Event, scope: ApiScope): Promise<PartnerRequest> {
  const services = await useServices()
  const caller = await authenticateApiKey(services.db, getHeader(event, 'authorization'), scope)
  await enforceRateLimit(event, services, [{ key: `api:key:${caller.id}`, limit: caller.rateLimitPerMinute, windowSeconds: 60 }])
  return { caller, ctx: systemContext(services, `api-key:${caller.id}`, requestMeta(event, services)) }
}

/**
 * A partner's write: `Idempotency-Key` is required; the first answer is stored, the same key with
 * the same request gets it again (`Idempotent-Replayed: true`), with a different one 422
 * `idempotency_key_reused`. Keys are the key's own: two partners never share one.
 */
export async function partnerWrite<T>(event: H3Event, partner: PartnerRequest, operation: string, request: unknown, run: () => Promise<T>): Promise<T> {
  const key = requireIdempotencyKey(event)
  const { value, replayed } = await runIdempotent(partner.ctx.db, { scope: `api.v1.${operation}:key:${partner.caller.id}`, key, request }, run, { replay: 'stored' })
  if (replayed) setResponseHeader(event, 'Idempotent-Replayed', 'true')
  return value
}
