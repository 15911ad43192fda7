/**
 * Partners' API keys: created and revoked by owners and admins in /admin (audited), shown once,
 * kept only as a SHA-256 hash. A key is `tmak_` + 32 random bytes: too long to guess, so a plain
 * hash is enough (no salt or slow hash needed) and a lookup is one indexed read.
 */
import { createHash, randomBytes } from 'node:crypto'
import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { ApiKeyInput, ApiScope } from '#shared/schemas/partner-api'
import { apiKeys } from '../../db/schema/partner-api'
import type { DbOrTx } from '../../db/client'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'

export type ApiKeyRow = typeof apiKeys.$inferSelect

const TOKEN_PREFIX = 'tmak_'
/** `last used` is written at most this often per key (not on every request). */
const LAST_USED_EVERY_SECONDS = 60

export const hashApiToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** What /admin sees of a key: never the token or its hash. */
export const toApiKeyDto = (row: ApiKeyRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  rateLimitPerMinute: row.rateLimitPerMinute,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
  createdAt: row.createdAt,
})

export async function listApiKeys(db: DbOrTx) {
  const rows = await db.select().from(apiKeys).orderBy(asc(apiKeys.id))
  return rows.map(toApiKeyDto)
}

/** Makes a key (audited); the answer holds the token, the only time anyone sees it. */
export async function createApiKey(ctx: ServiceContext, input: ApiKeyInput) {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  return write(ctx, async (w) => {
    const [row] = await w.db
      .insert(apiKeys)
      .values({ name: input.name, prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashApiToken(token), scopes: [...new Set(input.scopes)], rateLimitPerMinute: input.rateLimitPerMinute })
      .returning()
    await w.audit({ action: 'api-key.create', entityType: 'api_key', entityId: row!.id, after: toApiKeyDto(row!) })
    return { key: toApiKeyDto(row!), token }
  })
}

/** Revokes a key at once (audited): its next request is 401 `api_key_revoked`. */
export async function revokeApiKey(ctx: ServiceContext, id: number) {
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such API key')
    if (before.revokedAt) return toApiKeyDto(before)
    const [after] = await w.db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, id)).returning()
    await w.audit({ action: 'api-key.revoke', entityType: 'api_key', entityId: id, before: toApiKeyDto(before), after: toApiKeyDto(after!) })
    return toApiKeyDto(after!)
  })
}

export interface ApiCaller {
  id: number
  name: string
  scopes: readonly ApiScope[]
  rateLimitPerMinute: number
}

/**
 * The key a request carries (`Authorization: Bearer <token>`), checked: 401 `api_key_invalid`
 * when missing or unknown, 401 `api_key_revoked` once revoked, 403 `api_scope_missing` without
 * the scope the route needs. Notes when it was last used (at most once a minute).
 */
export async function authenticateApiKey(db: DbOrTx, authorization: string | undefined, scope: ApiScope): Promise<ApiCaller> {
  const match = /^Bearer\s+(\S{1,200})$/i.exec(authorization?.trim() ?? '')
  if (!match) throw new DomainError('api_key_invalid', 'Send your API key as "Authorization: Bearer <key>" (owners and admins make keys in /admin → API)', 401)
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.tokenHash, hashApiToken(match[1]!)))
  if (!row) throw new DomainError('api_key_invalid', 'Unknown API key', 401)
  if (row.revokedAt) throw new DomainError('api_key_revoked', 'This API key was revoked; ask the business for a new one', 401)
  if (!row.scopes.includes(scope)) throw new DomainError('api_scope_missing', `This API key lacks the "${scope}" scope`, 403, { required: scope, granted: row.scopes })
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - make_interval(secs => ${LAST_USED_EVERY_SECONDS})`))))
  return { id: row.id, name: row.name, scopes: row.scopes, rateLimitPerMinute: row.rateLimitPerMinute }
}
