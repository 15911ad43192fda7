import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import { preparedPer } from '../../db/prepared'
import type { DbOrTx } from '../../db/client'
import { customerDocuments } from '../../db/schema/account'
import type { DocumentKind } from '#shared/schemas/account'
import { resolveLocale } from '#shared/locale'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { chatRecipient, findUser } from '../auth/users'
import { getOrder } from '../orders'
import { paymentsForOrder } from '../payments'
import { ensureSetting } from '../settings'
import { createDocumentStore, detectDocumentType } from './document-store'
import { documentArrivedJob, purgeDocumentFilesJob, sendDocumentToChatJob } from './jobs'
import { getLegalDetails } from './legal'
import { customerIdOf } from './profile'
import { renderReceipt } from './receipt-thread'

/** Largest file an operator may attach. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
/** How long a download link works. */
export const DOCUMENT_LINK_TTL_SECONDS = 5 * 60
/** Order statuses that mean money was taken in Telegram: such an order gets a receipt. */
const RECEIPT_STATUSES = ['paid', 'in_progress', 'ready', 'shipped', 'done', 'refunded']

export type DocumentRow = typeof customerDocuments.$inferSelect

/** A document as its owner and staff see it (never the storage key). */
export const toDocumentDto = (d: DocumentRow) => ({
  id: d.id,
  kind: d.kind,
  title: d.title,
  fileName: d.fileName,
  mimeType: d.mimeType,
  sizeBytes: d.sizeBytes,
  orderId: d.orderId,
  revoked: d.revokedAt !== null,
  createdAt: d.createdAt.toISOString(),
})

const storeOf = (ctx: Pick<ServiceContext, 'config'>) => createDocumentStore(ctx.config.dataDir)

/** The customer's documents, newest first; revoked ones only for staff. */
export async function listDocuments(db: DbOrTx, userId: number, options: { includeRevoked?: boolean } = {}) {
  return db
    .select()
    .from(customerDocuments)
    .where(and(eq(customerDocuments.userId, userId), options.includeRevoked ? undefined : isNull(customerDocuments.revokedAt)))
    .orderBy(desc(customerDocuments.createdAt), desc(customerDocuments.id))
    .limit(500)
}

/** One document of this customer (404 for anyone else's, revoked ones too unless staff ask). */
export async function getDocument(db: DbOrTx, userId: number, documentId: number, options: { includeRevoked?: boolean } = {}) {
  const [row] = await db.select().from(customerDocuments).where(and(eq(customerDocuments.id, documentId), eq(customerDocuments.userId, userId)))
  if (!row || (row.revokedAt && !options.includeRevoked)) throw new DomainError('not_found', 'No such document')
  return row
}

/** The document's bytes, read from the private store. */
export async function readDocumentFile(ctx: Pick<ServiceContext, 'config'>, doc: DocumentRow) {
  const bytes = await storeOf(ctx).read(doc.storageKey)
  if (!bytes) throw new DomainError('not_found', 'The document file is missing')
  return bytes
}

const delivery = (order: Awaited<ReturnType<typeof getOrder>>, locale: 'ru' | 'en') => {
  if (order.deliveryMethod === 'pickup') return order.pickupPoint ? order.pickupPoint.name[locale] : locale === 'ru' ? 'самовывоз' : 'pickup'
  return locale === 'ru' ? 'курьер' : 'courier'
}
const paymentMethodText = (method: string, provider: string | undefined, locale: 'ru' | 'en') => {
  if (method === 'telegram') return provider === 'telegram_stars' ? 'Telegram Stars' : locale === 'ru' ? 'банковская карта в Telegram' : 'card in Telegram'
  if (method === 'cash_on_delivery') return locale === 'ru' ? 'наличными при получении' : 'cash on delivery'
  return locale === 'ru' ? 'картой при получении' : 'card on delivery'
}

/**
 * The PDF receipt of a paid order, once per order: the business's legal details, lines, delivery,
 * taxes line, payment and refunds, in the customer's language. Stored in the private store and
 * listed in the customer's documents; the customer hears about it in the chat (if they keep
 * order updates on). Queued with the payment (`issueReceiptJob`); calling it again is a no-op.
 */
export async function issueReceipt(ctx: ServiceContext, orderId: number) {
  const existing = await activeReceipt(ctx.db, orderId)
  if (existing) return existing
  const order = await getOrder(ctx.db, orderId)
  const payments = await paymentsForOrder(ctx.db, orderId)
  if (!RECEIPT_STATUSES.includes(order.status) || !payments.length) throw new DomainError('conflict', 'The order is not paid', 409)
  const customer = await findUser(ctx.db, order.userId)
  const locale = resolveLocale(customer?.user.locale, null)
  const bytes = await renderReceipt({
    locale,
    number: order.number,
    issuedAt: payments[0]!.createdAt,
    legal: await getLegalDetails(ctx.db),
    currency: order.currency,
    items: order.items.map((i) => ({ name: [i.name[locale], ...i.options.map((o) => o.valueName[locale])].join(', '), quantity: i.quantity, unitPriceMinor: i.unitPriceMinor, totalMinor: i.totalMinor })),
    itemsTotalMinor: order.itemsTotalMinor,
    deliveryMinor: order.deliveryMinor,
    discountMinor: order.discountMinor,
    totalMinor: order.totalMinor,
    delivery: delivery(order, locale),
    paymentMethod: paymentMethodText(order.paymentMethod, payments[0]?.provider, locale),
    payments: payments.map((p) => ({ at: p.createdAt, amountMinor: p.amountMinor, chargeId: p.telegramPaymentChargeId })),
    refunds: payments.flatMap((p) => p.refunds.filter((r) => r.status === 'succeeded').map((r) => ({ at: r.completedAt ?? r.createdAt, amountMinor: r.amountMinor, reason: r.reason }))),
  })
  const key = await storeOf(ctx).save(bytes, 'pdf')
  try {
    return await write(ctx, async (w) => {
      const [row] = await w.db
        .insert(customerDocuments)
        .values({
          userId: order.userId,
          kind: 'receipt',
          title: `${locale === 'ru' ? 'Чек по заказу' : 'Receipt for order'} ${order.number}`,
          fileName: `receipt-${order.number}.pdf`,
          storageKey: key,
          mimeType: 'application/pdf',
          sizeBytes: bytes.byteLength,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          orderId,
        })
        .returning()
      await w.enqueue(documentArrivedJob, { documentId: row!.id }, { singletonKey: `document-${row!.id}` })
      return row!
    })
  } catch (error) {
    await storeOf(ctx).remove(key)
    // A concurrent run issued it first (unique per order): answer with that one.
    const other = await activeReceipt(ctx.db, orderId)
    if (other) return other
    throw error
  }
}

const receiptOfOrder = preparedPer((db) =>
  db
    .select()
    .from(customerDocuments)
    .where(and(eq(customerDocuments.orderId, sql.placeholder('orderId')), eq(customerDocuments.kind, 'receipt'), isNull(customerDocuments.revokedAt)))
    .prepare('receipt_of_order'),
)

async function activeReceipt(db: DbOrTx, orderId: number) {
  const [row] = await receiptOfOrder(db).execute({ orderId })
  return row
}

/**
 * An operator attaches a document (contract, act, certificate) to a customer: PDF, JPEG or PNG
 * (checked from the bytes), up to 10 MB. Audited; the customer is told in the chat.
 */
export async function attachDocument(ctx: ServiceContext, userId: number, input: { kind: Exclude<DocumentKind, 'receipt'>; title: string; fileName: string; bytes: Uint8Array }) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff attach documents')
  if (input.bytes.byteLength === 0) throw new DomainError('validation_failed', 'The file is empty', 400)
  if (input.bytes.byteLength > MAX_DOCUMENT_BYTES) throw new DomainError('payload_too_large', 'Documents can be up to 10 MB', 413)
  const type = detectDocumentType(input.bytes)
  if (!type) throw new DomainError('document_type_unsupported', 'Attach a PDF, JPEG or PNG file', 415)
  if (!(await findUser(ctx.db, userId))) throw new DomainError('not_found', 'No such customer')
  const key = await storeOf(ctx).save(input.bytes, type.ext)
  const baseName = input.fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 80) || 'document'
  try {
    return await write(ctx, async (w) => {
      const [row] = await w.db
        .insert(customerDocuments)
        .values({ userId, kind: input.kind, title: input.title, fileName: `${baseName}.${type.ext}`, storageKey: key, mimeType: type.mime, sizeBytes: input.bytes.byteLength, sha256: createHash('sha256').update(input.bytes).digest('hex'), uploadedBy: ctx.actor.userId })
        .returning()
      await w.audit({ action: 'document.attach', entityType: 'customer', entityId: userId, after: { documentId: row!.id, kind: row!.kind, title: row!.title, sizeBytes: row!.sizeBytes, sha256: row!.sha256 } })
      await w.enqueue(documentArrivedJob, { documentId: row!.id }, { singletonKey: `document-${row!.id}` })
      return row!
    })
  } catch (error) {
    await storeOf(ctx).remove(key)
    throw error
  }
}

/** An operator revokes a document: its links stop working at once, the customer no longer sees it; the file is removed by a job. Audited. */
export async function revokeDocument(ctx: ServiceContext, userId: number, documentId: number) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff revoke documents')
  return write(ctx, async (w) => {
    const doc = await getDocument(w.db, userId, documentId, { includeRevoked: true })
    if (doc.revokedAt) return doc
    const [row] = await w.db.update(customerDocuments).set({ revokedAt: new Date() }).where(eq(customerDocuments.id, documentId)).returning()
    await w.audit({ action: 'document.revoke', entityType: 'customer', entityId: userId, before: { documentId, kind: doc.kind, title: doc.title }, after: { revoked: true } })
    await w.enqueue(purgeDocumentFilesJob, { keys: [doc.storageKey] })
    return row!
  })
}

/** The customer asks for the document in the chat: the bot sends the file (queued). */
export async function sendDocumentToChat(ctx: ServiceContext, documentId: number) {
  const userId = customerIdOf(ctx)
  await getDocument(ctx.db, userId, documentId)
  await write(ctx, (w) => w.enqueue(sendDocumentToChatJob, { documentId, chatId: userId }))
}

// --- Signed download links -------------------------------------------------------------------

const LINK_SECRET_SETTING = 'account.document_link_secret'
let linkSecret: Promise<string> | undefined

/** The key links are signed with: generated once, kept in the database so every replica agrees. */
async function documentLinkSecret(db: DbOrTx) {
  linkSecret ??= ensureSetting(db, LINK_SECRET_SETTING, () => randomBytes(32).toString('hex')).catch((error) => {
    linkSecret = undefined
    throw error
  })
  return linkSecret
}
/** Tests open several databases in one process: forget the cached key. */
export const forgetDocumentLinkSecret = () => void (linkSecret = undefined)

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(`document-link:${payload}`).digest('base64url')

/**
 * A short-lived link to one of the customer's documents: the document id, the owner and the
 * expiry, signed. Telegram opens files by URL (no Authorization header), so the link itself is the
 * permission, for DOCUMENT_LINK_TTL_SECONDS; a request that does carry another user's initData is refused.
 */
export async function createDocumentLink(ctx: ServiceContext, documentId: number, now = new Date()) {
  const userId = customerIdOf(ctx)
  const doc = await getDocument(ctx.db, userId, documentId)
  const expires = Math.floor(now.getTime() / 1000) + DOCUMENT_LINK_TTL_SECONDS
  const payload = Buffer.from(`${doc.id}.${userId}.${expires}`).toString('base64url')
  const token = `${payload}.${sign(await documentLinkSecret(ctx.db), payload)}`
  return { url: `${ctx.config.publicUrl.replace(/\/$/, '')}/api/account/documents/download/${token}`, path: `/api/account/documents/download/${token}`, expiresAt: new Date(expires * 1000).toISOString(), fileName: doc.fileName }
}

/**
 * The document a link points to, if the link is genuine, not expired, its owner still owns the
 * document and it is not revoked. `requesterId`: the user a request authenticated as, if any; it
 * must be the owner.
 */
export async function resolveDocumentLink(db: DbOrTx, token: string, requesterId: number | null, now = new Date()) {
  const [payload = '', signature = ''] = token.split('.')
  const expected = Buffer.from(sign(await documentLinkSecret(db), payload))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DomainError('document_link_invalid', 'This link is not valid', 403)
  const [documentId, userId, expires] = Buffer.from(payload, 'base64url').toString('utf8').split('.').map(Number)
  if (!documentId || !userId || !expires) throw new DomainError('document_link_invalid', 'This link is not valid', 403)
  if (expires * 1000 < now.getTime()) throw new DomainError('document_link_expired', 'This link has expired; open the document again from your account', 410)
  if (requesterId !== null && requesterId !== userId) throw new DomainError('forbidden', 'This link belongs to another user')
  return getDocument(db, userId, documentId)
}

/** Recipients for the "new document" message: the owner, in their language, if they have not blocked the bot. */
export async function documentMessage(db: DbOrTx, documentId: number) {
  const [doc] = await db.select().from(customerDocuments).where(eq(customerDocuments.id, documentId))
  if (!doc || doc.revokedAt) return undefined
  const recipient = await chatRecipient(db, doc.userId)
  if (!recipient || recipient.blocked) return undefined
  return { doc, recipient }
}
