import { randomInt } from 'node:crypto'
import { and, desc, eq, ne } from 'drizzle-orm'
import { strToU8, zipSync } from 'fflate'
import { accountDeletions, customerDocuments, customerNotes, customerProfiles, userAddresses } from '../../db/schema/account'
import { DomainError } from '../../utils/errors'
import { actingAs, write, type ServiceContext, type WriteContext } from '../context'
import { isForeignKeyViolation } from '../../db/results'
import { chatMessageJob } from '../notifications/jobs'
import { createPlaceholderUser, deleteUserRow } from '../auth/users'
import { toAddressDto } from './addresses'
import { createDocumentStore } from './document-store'
import { listDocuments, toDocumentDto } from './documents'
import { purgeDocumentFilesJob, sendExportToChatJob } from './jobs'
import { customerIdOf, getAccountProfile } from './profile'
import type { AccountSection } from './registry'
import { ACCOUNT_SECTIONS } from './sections'
import { sendErasureNotice } from '../integrations/account'
import { customerEvent } from './events'

/**
 * Everything we hold about the customer as one ZIP: `account.json` (profile, preferences,
 * addresses, documents' list and every module's section under its key) plus the document files
 * under `documents/`. Audited (that an export happened, not its content).
 */
export async function exportAccountData(ctx: ServiceContext, sections: readonly AccountSection[] = ACCOUNT_SECTIONS) {
  const userId = customerIdOf(ctx)
  const profile = await getAccountProfile(ctx.db, userId)
  const addresses = await ctx.db.select().from(userAddresses).where(eq(userAddresses.userId, userId)).orderBy(desc(userAddresses.id))
  const documents = await listDocuments(ctx.db, userId)
  const modules: Record<string, unknown> = {}
  for (const section of sections) if (section.exportData) modules[section.key] = await section.exportData(ctx.db, userId)
  const files: Record<string, Uint8Array> = {}
  const store = createDocumentStore(ctx.config.dataDir)
  const docs = []
  for (const doc of documents) {
    const bytes = await store.read(doc.storageKey)
    const path = bytes ? `documents/${doc.id}-${doc.fileName}` : null
    if (bytes && path) files[path] = new Uint8Array(bytes)
    docs.push({ ...toDocumentDto(doc), file: path })
  }
  const exportedAt = new Date().toISOString()
  const body = { format: 'tma-platform.account-export/1', exportedAt, profile, addresses: addresses.map(toAddressDto), documents: docs, modules }
  files['account.json'] = strToU8(JSON.stringify(body, null, 2))
  const zip = zipSync(files, { level: 6, mtime: new Date() })
  await write(ctx, (w) => w.audit({ action: 'account.export', entityType: 'customer', entityId: userId, after: { bytes: zip.byteLength, documents: docs.length, sections: Object.keys(modules) } }))
  return { bytes: zip, fileName: `account-${exportedAt.slice(0, 10)}.zip` }
}

/** The customer asks for the archive in the chat: built and sent by a job (one at a time per customer). */
export async function sendAccountExportToChat(ctx: ServiceContext) {
  const userId = customerIdOf(ctx)
  await write(ctx, (w) => w.enqueue(sendExportToChatJob, { userId }, { singletonKey: `export-${userId}`, singletonSeconds: 60 }))
}

const GOODBYE = {
  ru: 'Ваш аккаунт удалён: личные данные стёрты. Заказы и платежи сохранены без имени и контактов, как того требует учёт. Чтобы снова пользоваться приложением, просто откройте его.',
  en: 'Your account has been deleted: your personal data is erased. Orders and payments are kept without your name or contacts, as accounting requires. To use the app again, just open it.',
}

/**
 * Deletes the customer's account in one transaction: every module's section erases or anonymises
 * what it holds (paid orders and payments move to a placeholder user, without name, phone or
 * address), the account's own rows (profile, addresses, notes, documents but receipts) go with the
 * user row, and receipts stay with the placeholder. Audited as a system action naming only the
 * placeholder; the goodbye message and the removal of files are queued with it.
 */
export async function deleteAccount(ctx: ServiceContext, sections: readonly AccountSection[] = ACCOUNT_SECTIONS) {
  const userId = customerIdOf(ctx)
  const profile = await getAccountProfile(ctx.db, userId)
  if (profile.roles.length) throw new DomainError('conflict', 'Staff accounts are closed by an owner: ask them to remove your roles first', 409)
  const system = actingAs(ctx, { kind: 'system', userId: null, via: 'system', name: 'account-deletion' })
  return write(system, (w) => eraseAccount(w, userId, profile, sections)).catch((error) => {
    // A module whose records still point at the person and that has no account section yet: nothing changed (one transaction).
    if (isForeignKeyViolation(error)) throw new DomainError('conflict', 'Some of your records cannot be erased automatically yet; support will delete the account for you', 409)
    throw error
  })
}

/** The erasure itself, inside the deletion's transaction (see `deleteAccount`). */
async function eraseAccount(w: WriteContext, userId: number, profile: Awaited<ReturnType<typeof getAccountProfile>>, sections: readonly AccountSection[]) {
  const placeholderId = -randomInt(1, 2 ** 47)
  const notice = await customerEvent(w.db, 'customer.deleted', userId)
  await createPlaceholderUser(w.db, placeholderId)
  const summary: Record<string, number> = {}
  for (const section of sections) if (section.erase) Object.assign(summary, await section.erase(w, userId, placeholderId))
  await sendErasureNotice(w, notice, userId, placeholderId)
  // Receipts are money records: kept, with the placeholder. Everything else of the account goes.
  const receipts = await w.db.update(customerDocuments).set({ userId: placeholderId }).where(and(eq(customerDocuments.userId, userId), eq(customerDocuments.kind, 'receipt'))).returning({ id: customerDocuments.id })
  const otherDocs = await w.db.select({ key: customerDocuments.storageKey }).from(customerDocuments).where(and(eq(customerDocuments.userId, userId), ne(customerDocuments.kind, 'receipt')))
  const notes = await w.db.delete(customerNotes).where(eq(customerNotes.userId, userId)).returning({ id: customerNotes.id })
  const addresses = await w.db.delete(userAddresses).where(eq(userAddresses.userId, userId)).returning({ id: userAddresses.id })
  await w.db.delete(customerProfiles).where(eq(customerProfiles.userId, userId))
  Object.assign(summary, { receiptsKept: receipts.length, documentsDeleted: otherDocs.length, notesDeleted: notes.length, addressesDeleted: addresses.length })
  await deleteUserRow(w.db, userId)
  const [deletion] = await w.db.insert(accountDeletions).values({ tombstoneId: placeholderId, summary }).returning()
  await w.audit({ action: 'account.delete', entityType: 'account_deletion', entityId: deletion!.id, after: { placeholderId, summary } })
  if (otherDocs.length) await w.enqueue(purgeDocumentFilesJob, { keys: otherDocs.map((d) => d.key) })
  if (!profile.blockedBot) await w.enqueue(chatMessageJob, { chatId: userId, text: GOODBYE[profile.user.locale] })
  return { deletionId: deletion!.id, placeholderId, summary }
}
