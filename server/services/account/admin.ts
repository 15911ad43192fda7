import { desc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { customerNotes } from '../../db/schema/account'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { listUsers, userNames } from '../auth/users'
import { listSavedAddresses, toAddressDto } from './addresses'
import { customerHistory } from './history'
import { listDocuments, toDocumentDto } from './documents'
import { customersByPhone, getAccountProfile } from './profile'
import { ACCOUNT_SECTIONS } from './sections'

/**
 * Operators' customer search: name, @username or Telegram id (auth), phone (profiles) and
 * whatever a module's section recognises (an order number). Newest seen first, at most `limit`.
 */
export async function searchCustomers(db: DbOrTx, query: { q?: string; limit: number }) {
  const q = query.q?.trim()
  const byName = await listUsers(db, { search: q || undefined, limit: query.limit })
  const ids = new Set(byName.map((u) => u.user.id))
  const extra: number[] = []
  if (q) {
    const digits = q.replace(/\D/g, '')
    if (digits.length >= 4) extra.push(...(await customersByPhone(db, digits)))
    for (const section of ACCOUNT_SECTIONS) if (section.findCustomers) extra.push(...(await section.findCustomers(db, q)))
  }
  const items = byName.map((u) => ({ id: u.user.id, name: [u.user.firstName, u.user.lastName].filter(Boolean).join(' '), username: u.user.username, roles: u.roles, lastSeenAt: u.lastSeenAt }))
  for (const id of extra) {
    if (ids.has(id) || id < 0) continue
    ids.add(id)
    const profile = await getAccountProfile(db, id).catch(() => undefined)
    if (profile) items.push({ id, name: [profile.user.firstName, profile.user.lastName].filter(Boolean).join(' '), username: profile.user.username, roles: profile.roles, lastSeenAt: profile.lastSeenAt })
  }
  return items.slice(0, query.limit)
}

/** The customer card: profile, addresses, the first page of the history, documents (revoked too) and notes. */
export async function customerCard(db: DbOrTx, userId: number) {
  const profile = await getAccountProfile(db, userId)
  const [addresses, history, documents, notes] = await Promise.all([
    listSavedAddresses(db, userId),
    customerHistory(db, userId, { limit: 20 }),
    listDocuments(db, userId, { includeRevoked: true }),
    db.select().from(customerNotes).where(eq(customerNotes.userId, userId)).orderBy(desc(customerNotes.createdAt), desc(customerNotes.id)).limit(100),
  ])
  const authors = await userNames(db, notes.flatMap((n) => (n.authorId ? [n.authorId] : [])))
  return {
    profile,
    addresses: addresses.map(toAddressDto),
    history,
    documents: documents.map(toDocumentDto),
    notes: notes.map((n) => ({ id: n.id, body: n.body, author: (n.authorId && authors.get(n.authorId)) || null, createdAt: n.createdAt.toISOString() })),
  }
}

/** An operator writes a note on the customer (never shown to them). Audited. */
export async function addCustomerNote(ctx: ServiceContext, userId: number, body: string) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff write notes')
  await getAccountProfile(ctx.db, userId)
  return write(ctx, async (w) => {
    const [row] = await w.db.insert(customerNotes).values({ userId, authorId: ctx.actor.userId, body }).returning()
    await w.audit({ action: 'customer.note', entityType: 'customer', entityId: userId, after: { noteId: row!.id } })
    return row!
  })
}
