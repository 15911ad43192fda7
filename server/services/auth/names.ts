import { inArray } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { users } from '../../db/schema/auth'

/** People's names as Telegram gave them ("Мария Соколова"), by Telegram id, for lists that name who did what. */
export async function displayNames(db: DbOrTx, telegramIds: readonly number[]): Promise<Map<number, string>> {
  const ids = [...new Set(telegramIds)]
  if (!ids.length) return new Map()
  const rows = await db.select({ id: users.telegramId, firstName: users.firstName, lastName: users.lastName }).from(users).where(inArray(users.telegramId, ids))
  return new Map(rows.map((r) => [r.id, [r.firstName, r.lastName].filter(Boolean).join(' ')]))
}
