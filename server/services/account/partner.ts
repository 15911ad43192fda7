/** Customers as the partner REST API lists them (server/services/partner-api): only those who agreed to news and offers. */
import { and, desc, lt, sql } from 'drizzle-orm'
import type { z } from 'zod'
import type { V1CustomersQuerySchema } from '#shared/schemas/partner-api'
import type { DbOrTx } from '../../db/client'
import { customerProfiles } from '../../db/schema/account'
import { displayNames } from '../auth/names'

export async function listConsentingCustomers(db: DbOrTx, query: z.output<typeof V1CustomersQuerySchema>) {
  const rows = await db
    .select({ telegramId: customerProfiles.userId, phone: customerProfiles.phone, email: customerProfiles.email, since: customerProfiles.createdAt })
    .from(customerProfiles)
    .where(and(sql`(${customerProfiles.notifications} ->> 'news') = 'true'`, sql`${customerProfiles.userId} > 0`, query.before ? lt(customerProfiles.userId, query.before) : undefined))
    .orderBy(desc(customerProfiles.userId))
    .limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  const names = await displayNames(db, page.map((r) => r.telegramId))
  const items = page.map((r) => ({ telegramId: r.telegramId, name: names.get(r.telegramId) ?? '', phone: r.phone, email: r.email, newsConsent: true, since: r.since }))
  return { items, nextBefore: rows.length > query.limit ? items[query.limit - 1]!.telegramId : null }
}
