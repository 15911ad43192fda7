import { getHeader, type H3Event } from 'h3'
import { IdempotencyKeySchema } from '#shared/schemas/orders'
import { apiError } from './errors'

/**
 * The `Idempotency-Key` header of a route that requires one (8-100 characters, e.g. a UUID), or
 * 400. Pass it with the validated request to `runIdempotent` (server/services/idempotency), which
 * answers a reuse with a different request with 422 `idempotency_key_reused`.
 */
export function requireIdempotencyKey(event: H3Event): string {
  const key = IdempotencyKeySchema.safeParse(getHeader(event, 'idempotency-key') ?? '')
  if (!key.success) throw apiError('validation_failed', 'Send an Idempotency-Key header (8-100 characters, e.g. a UUID)', [{ path: 'Idempotency-Key', message: key.error.issues[0]!.message }])
  return key.data
}
