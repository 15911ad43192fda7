import { createHash } from 'node:crypto'
import { and, eq, lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { idempotencyKeys } from '../../db/schema/idempotency'
import { DomainError } from '../../utils/errors'

/** How long a key stays bound to its request (and its stored answer). */
export const IDEMPOTENCY_RETENTION_DAYS = 30
/** A `stored` request that has not answered after this long is taken to have died: a retry runs it again. */
const ABANDONED_AFTER_SECONDS = 120

/** Canonical JSON: object keys sorted at every level, so equal requests hash equally whatever the key order. */
function canonical(value: unknown): string {
  if (value === undefined) return 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  return `{${entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(',')}}`
}

/** SHA-256 of a request's canonical JSON (the validated path parameters and body). */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonical(request)).digest('hex')
}

export interface IdempotentRequest {
  /** The operation and whose key it is, e.g. `orders.create:user:42` or `payments.refund`: keys of different scopes never meet. */
  scope: string
  key: string
  /** What the key promises to repeat: the validated input (path parameters, body). */
  request: unknown
}

export interface IdempotentOptions {
  /**
   * `execute` (default): a repeat runs `operation` again, which must itself find the first result
   * (a unique constraint on the key, as orders and refunds have), so the answer is always current.
   * `stored`: a repeat gets the first answer as stored, and `operation` runs at most once; a repeat
   * while the first is still running is refused with 409 `idempotency_key_in_use`.
   */
  replay?: 'execute' | 'stored'
}

/**
 * Runs `operation` for an Idempotency-Key, the way clients expect from Stripe: the first request
 * binds the key to its content; the same key with the same content is a retry (answered as the
 * first one was); the same key with different content is a client bug and gets 422
 * `idempotency_key_reused` without running anything. A failed first attempt (any error) releases
 * the key, so the client may retry it, corrected or not. One mechanism for every route that takes
 * the header; `requireIdempotencyKey` (server/utils/idempotency.ts) reads and checks the header.
 */
export async function runIdempotent<T>(db: DbOrTx, request: IdempotentRequest, operation: () => Promise<T>, options: IdempotentOptions = {}): Promise<{ value: T; replayed: boolean }> {
  const replay = options.replay ?? 'execute'
  const requestHash = requestFingerprint(request.request)
  const where = and(eq(idempotencyKeys.scope, request.scope), eq(idempotencyKeys.key, request.key))
  const [claimed] = await db
    .insert(idempotencyKeys)
    .values({ scope: request.scope, key: request.key, requestHash, expiresAt: sql`now() + make_interval(days => ${IDEMPOTENCY_RETENTION_DAYS})` })
    .onConflictDoNothing()
    .returning({ scope: idempotencyKeys.scope })
  if (!claimed) {
    const [bound] = await db.select().from(idempotencyKeys).where(where)
    if (bound && bound.requestHash !== requestHash) {
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key for a new request', 422)
    }
    if (bound && replay === 'stored') {
      if (bound.responseStatus !== null) return { value: bound.responseBody as T, replayed: true }
      const ageSeconds = (Date.now() - bound.updatedAt.getTime()) / 1000
      if (ageSeconds < ABANDONED_AFTER_SECONDS) throw new DomainError('idempotency_key_in_use', 'A request with this Idempotency-Key is still running; retry in a moment', 409)
      await db.update(idempotencyKeys).set({ updatedAt: new Date() }).where(where)
    }
    // `execute`: the operation finds the first result through its own unique key.
  }
  let value: T
  try {
    value = await operation()
  } catch (error) {
    // Nothing was done for this key: let a retry (corrected or not) run.
    if (claimed) await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.requestHash, requestHash))).catch(() => {})
    throw error
  }
  if (replay === 'stored') await db.update(idempotencyKeys).set({ responseStatus: 200, responseBody: value as never }).where(where)
  return { value, replayed: !claimed }
}

/** Housekeeping: keys older than the retention period. */
export async function pruneIdempotencyKeys(db: DbOrTx): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, sql`now()`))
}
