import { and, desc, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { userAddresses, type SavedAddress } from '../../db/schema/account'

/** Remembers an address the customer typed at checkout (the same text is one entry, moved to the top). */
export async function rememberAddress(tx: DbOrTx, userId: number, address: SavedAddress) {
  const [same] = await tx.select({ id: userAddresses.id }).from(userAddresses).where(and(eq(userAddresses.userId, userId), sql`${userAddresses.address}->>'text' = ${address.text}`))
  if (same) await tx.update(userAddresses).set({ address, lastUsedAt: sql`now()` }).where(eq(userAddresses.id, same.id))
  else await tx.insert(userAddresses).values({ userId, address })
}

/** The customer's addresses, most recently used first. */
export async function listSavedAddresses(db: DbOrTx, userId: number) {
  return db.select().from(userAddresses).where(eq(userAddresses.userId, userId)).orderBy(desc(userAddresses.lastUsedAt)).limit(10)
}
