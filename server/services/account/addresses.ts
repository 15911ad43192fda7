import { and, count, desc, eq, ne, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { userAddresses, type SavedAddress } from '../../db/schema/account'
import type { AddressInput, AddressPatch } from '#shared/schemas/account'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext, type WriteContext } from '../context'
import { customerIdOf } from './profile'

/** A customer keeps at most this many addresses. */
export const MAX_ADDRESSES = 20

/** Remembers an address the customer typed at checkout (the same text is one entry, moved to the top). */
export async function rememberAddress(tx: DbOrTx, userId: number, address: SavedAddress) {
  const [same] = await tx.select({ id: userAddresses.id }).from(userAddresses).where(and(eq(userAddresses.userId, userId), sql`${userAddresses.address}->>'text' = ${address.text}`))
  if (same) await tx.update(userAddresses).set({ address, lastUsedAt: sql`now()` }).where(eq(userAddresses.id, same.id))
  else await tx.insert(userAddresses).values({ userId, address })
}

/** The customer's addresses: the default first, then the most recently used. */
export async function listSavedAddresses(db: DbOrTx, userId: number) {
  return db.select().from(userAddresses).where(eq(userAddresses.userId, userId)).orderBy(desc(userAddresses.isDefault), desc(userAddresses.lastUsedAt), desc(userAddresses.id)).limit(MAX_ADDRESSES)
}

export type AddressRow = typeof userAddresses.$inferSelect

/** An address as the Mini App shows it. */
export const toAddressDto = (a: AddressRow) => ({ id: a.id, label: a.label, address: a.address, isDefault: a.isDefault, lastUsedAt: a.lastUsedAt.toISOString() })

async function ownAddress(db: DbOrTx, userId: number, id: number) {
  const [row] = await db.select().from(userAddresses).where(and(eq(userAddresses.id, id), eq(userAddresses.userId, userId)))
  if (!row) throw new DomainError('not_found', 'No such address')
  return row
}

async function clearDefault(w: WriteContext, userId: number, except?: number) {
  await w.db
    .update(userAddresses)
    .set({ isDefault: false })
    .where(and(eq(userAddresses.userId, userId), eq(userAddresses.isDefault, true), except === undefined ? undefined : ne(userAddresses.id, except)))
}

/** The customer saves a new address (the default one if they say so). */
export async function createAddress(ctx: ServiceContext, input: AddressInput) {
  const userId = customerIdOf(ctx)
  return write(ctx, async (w) => {
    const [{ n }] = (await w.db.select({ n: count() }).from(userAddresses).where(eq(userAddresses.userId, userId))) as [{ n: number }]
    if (n >= MAX_ADDRESSES) throw new DomainError('conflict', `At most ${MAX_ADDRESSES} addresses; delete one first`, 409)
    if (input.isDefault) await clearDefault(w, userId)
    const [row] = await w.db.insert(userAddresses).values({ userId, label: input.label ?? null, address: input.address, isDefault: input.isDefault ?? false }).returning()
    return row!
  })
}

/** The customer edits one of their addresses; making it the default takes the mark off the previous one. */
export async function updateAddress(ctx: ServiceContext, id: number, patch: AddressPatch) {
  const userId = customerIdOf(ctx)
  return write(ctx, async (w) => {
    await ownAddress(w.db, userId, id)
    if (patch.isDefault) await clearDefault(w, userId, id)
    const values: Partial<typeof userAddresses.$inferInsert> = {}
    if (patch.label !== undefined) values.label = patch.label
    if (patch.address) values.address = patch.address
    if (patch.isDefault !== undefined) values.isDefault = patch.isDefault
    if (!Object.keys(values).length) return ownAddress(w.db, userId, id)
    const [row] = await w.db.update(userAddresses).set(values).where(eq(userAddresses.id, id)).returning()
    return row!
  })
}

/** The customer deletes one of their addresses (orders keep the address they were delivered to). */
export async function deleteAddress(ctx: ServiceContext, id: number) {
  const userId = customerIdOf(ctx)
  await write(ctx, async (w) => {
    await ownAddress(w.db, userId, id)
    await w.db.delete(userAddresses).where(eq(userAddresses.id, id))
  })
}
