import { eq, sql } from 'drizzle-orm'
import { strFromU8, unzipSync } from 'fflate'
import { extractText, getDocumentProxy } from 'unpdf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { rowsOf } from '../../../../server/db/results'
import { auditEntries, orders, pickupPoints, products, userRoles, users } from '../../../../server/db/schema'
import { createAddress, deleteAddress, listSavedAddresses, updateAddress } from '../../../../server/services/account/addresses'
import { addCustomerNote, customerCard, searchCustomers } from '../../../../server/services/account/admin'
import { deleteAccount, exportAccountData } from '../../../../server/services/account/data'
import { attachDocument, createDocumentLink, forgetDocumentLinkSecret, issueReceipt, listDocuments, readDocumentFile, resolveDocumentLink, revokeDocument } from '../../../../server/services/account/documents'
import { customerHistory } from '../../../../server/services/account/history'
import { updateLegalDetails } from '../../../../server/services/account/legal'
import { getAccountProfile, notificationAllowed, rememberSharedPhone, updateAccountProfile } from '../../../../server/services/account/profile'
import { ACCOUNT_SECTIONS } from '../../../../server/services/account/sections'
import { addToCart } from '../../../../server/services/cart'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createFileStore } from '../../../../server/services/files'
import { runIdempotent } from '../../../../server/services/idempotency'
import { createOrder } from '../../../../server/services/orders'
import { paymentsReport } from '../../../../server/services/payments/reports'
import { recordSuccessfulPayment } from '../../../../server/services/payments/record'
import { invoicePayload } from '../../../../server/services/payments/invoice'
import { markUpdateDone, storeUpdate } from '../../../../server/services/telegram/updates'
import { formatMoney } from '../../../../shared/money'
import { AccountDeletionSchema, ProfilePatchSchema } from '../../../../shared/schemas/account'
import { CheckoutSchema } from '../../../../shared/schemas/orders'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
let pickupId: number
const OWNER = 5_000_000_001
const MARIA = 777_000_111_222
const IVAN = 777_000_111_333

const LEGAL = { legalName: 'ООО «Зерно»', taxId: '7701234567', address: 'Москва, ул. Покровка, 12', taxNote: 'НДС не облагается', receiptFooter: 'Спасибо, что выбираете нас!' }

beforeAll(async () => {
  forgetDocumentLinkSecret()
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await seedDemoData(handle.db, { people: false })
  pickupId = (await handle.db.select().from(pickupPoints))[0]!.id
  await handle.db.insert(users).values([
    { telegramId: OWNER, firstName: 'Owner' },
    { telegramId: MARIA, firstName: 'Мария', lastName: 'Тестова', username: 'maria_t', locale: 'ru' },
    { telegramId: IVAN, firstName: 'Ivan', username: 'ivan_p', locale: 'en' },
  ])
  await handle.db.insert(userRoles).values({ telegramId: OWNER, role: 'owner' })
  await updateLegalDetails(services.staff(OWNER), LEGAL)
}, 60_000)
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const productId = async (slug: string) => (await handle.db.select().from(products).where(eq(products.slug, slug)))[0]!.id
let keys = 0

/** A customer orders two cappuccinos for pickup and pays in Telegram (the payment as the bot records it). */
async function paidOrder(userId: number) {
  await addToCart(handle.db, userId, { productId: await productId('cappuccino'), options: {}, quantity: 2 })
  const input = CheckoutSchema.parse({ delivery: { method: 'pickup', pickupPointId: pickupId }, contact: { name: 'Мария Тестова', phone: '+7 900 123-45-67' }, comment: 'Позвоните в домофон на Тверской', paymentMethod: 'telegram' })
  const key = `order-key-${++keys}`
  await runIdempotent(handle.db, { scope: `orders.create:user:${userId}`, key, request: input }, async () => null)
  const { order } = await createOrder(services.customer(userId), input, key)
  const result = await recordSuccessfulPayment(services.customer(userId), {
    userId,
    currency: order.currency,
    totalAmount: order.totalMinor,
    invoicePayload: invoicePayload(order.id),
    telegramPaymentChargeId: `charge-${order.id}`,
    raw: { currency: order.currency, total_amount: order.totalMinor, order_info: { name: 'Мария Тестова', phone_number: '79001234567', email: 'maria@example.com' } },
  })
  expect(result.status).toBe('paid')
  return order
}

describe(`personal account on ${engine}`, () => {
  it('keeps contact data and per-kind notification preferences the customer sets', async () => {
    const fresh = await getAccountProfile(handle.db, MARIA)
    expect(fresh.notifications).toEqual({ order_updates: true, booking_reminders: true, news: false })
    const profile = await updateAccountProfile(services.customer(MARIA), ProfilePatchSchema.parse({ phone: '+7 (900) 123-45-67', email: 'Maria@Example.com', birthday: '1990-05-31', notifications: { order_updates: false, news: true }, locale: 'ru' }))
    expect(profile).toMatchObject({ phone: '+79001234567', phoneVerified: false, email: 'maria@example.com', birthday: '1990-05-31', notifications: { order_updates: false, booking_reminders: true, news: true } })
    expect(await notificationAllowed(handle.db, MARIA, 'order_updates')).toBe(false)
    expect(await notificationAllowed(handle.db, IVAN, 'order_updates')).toBe(true)
    // A contact shared from Telegram is the verified phone.
    await rememberSharedPhone(services.customer(MARIA), '79001234567')
    expect(await getAccountProfile(handle.db, MARIA)).toMatchObject({ phone: '+79001234567', phoneVerified: true })
    // The audit says what changed, never the values.
    const audit = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, 'account.profile'))
    expect(audit.length).toBeGreaterThan(0)
    expect(JSON.stringify(audit)).not.toContain('9001234567')
    await updateAccountProfile(services.customer(MARIA), ProfilePatchSchema.parse({ notifications: { order_updates: true } }))
    expect(ProfilePatchSchema.safeParse({ birthday: '2999-01-01' }).success).toBe(false)
  })

  it('edits, deletes and picks a default address, only the owner', async () => {
    const home = await createAddress(services.customer(MARIA), { address: { text: 'Москва, Тверская ул., 7', apartment: '12' }, label: 'Дом', isDefault: true })
    const work = await createAddress(services.customer(MARIA), { address: { text: 'Москва, Мясницкая, 20' }, label: 'Работа' })
    await updateAddress(services.customer(MARIA), work.id, { isDefault: true })
    const list = await listSavedAddresses(handle.db, MARIA)
    expect(list.map((a) => [a.label, a.isDefault])).toEqual([['Работа', true], ['Дом', false]])
    await expect(updateAddress(services.customer(IVAN), home.id, { label: 'Mine' })).rejects.toMatchObject({ code: 'not_found' })
    await expect(deleteAddress(services.customer(IVAN), home.id)).rejects.toMatchObject({ code: 'not_found' })
    await deleteAddress(services.customer(MARIA), work.id)
    expect((await listSavedAddresses(handle.db, MARIA)).map((a) => a.label)).toEqual(['Дом'])
  })

  it('issues a PDF receipt for a paid order with the right totals, the legal details and Cyrillic text', async () => {
    const order = await paidOrder(MARIA)
    expect((await services.queued('account.issue-receipt')).map((j) => j.data)).toContainEqual({ orderId: order.id })
    const receipt = await issueReceipt(services.system(), order.id)
    expect(await issueReceipt(services.system(), order.id)).toMatchObject({ id: receipt.id }) // once per order
    expect(receipt).toMatchObject({ kind: 'receipt', userId: MARIA, mimeType: 'application/pdf', orderId: order.id })
    const bytes = await readDocumentFile(services, receipt)
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })
    const flat = text.replace(/\s+/g, ' ')
    expect(flat).toContain('Кассовый чек')
    expect(flat).toContain(order.number)
    expect(flat).toContain('ООО «Зерно»')
    expect(flat).toContain('7701234567')
    expect(flat).toContain('Капучино')
    expect(flat).toContain('НДС не облагается')
    const money = (minor: number) => formatMoney(minor, 'RUB', 'ru').replace(/[\u202f\u00a0]/g, ' ')
    expect(flat).toContain(`Итого ${money(order.totalMinor)}`)
    expect(flat).toContain(money(order.itemsTotalMinor))
    // The customer is told in the chat (the job), and sees it in their documents.
    expect((await services.queued('account.document-arrived')).map((j) => j.data)).toContainEqual({ documentId: receipt.id })
    expect((await listDocuments(handle.db, MARIA)).map((d) => d.id)).toContain(receipt.id)
    // The file sits with the other files (backups carry it), but the public /files route never serves it.
    expect(await createFileStore(services.config.dataDir).read(`/files/documents/${receipt.storageKey}`)).toBeUndefined()
  })

  it('gives short-lived signed links that only work for the owner', async () => {
    const [receipt] = await listDocuments(handle.db, MARIA)
    const now = new Date()
    const link = await createDocumentLink(services.customer(MARIA), receipt!.id, now)
    const token = link.path.split('/').pop()!
    expect((await resolveDocumentLink(handle.db, token, null, now)).id).toBe(receipt!.id)
    expect((await resolveDocumentLink(handle.db, token, MARIA, now)).id).toBe(receipt!.id)
    await expect(resolveDocumentLink(handle.db, token, IVAN, now)).rejects.toMatchObject({ code: 'forbidden' })
    await expect(resolveDocumentLink(handle.db, token, null, new Date(now.getTime() + 6 * 60_000))).rejects.toMatchObject({ code: 'document_link_expired' })
    // Another customer cannot get a link to it, nor forge one by editing the token.
    await expect(createDocumentLink(services.customer(IVAN), receipt!.id)).rejects.toMatchObject({ code: 'not_found' })
    const [payload, signature] = token.split('.')
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(String(MARIA), String(IVAN))).toString('base64url')
    await expect(resolveDocumentLink(handle.db, `${forged}.${signature}`, null, now)).rejects.toMatchObject({ code: 'document_link_invalid' })
  })

  it('lets an operator attach and revoke documents with type and size checks', async () => {
    const staff = services.staff(OWNER, ['owner'])
    const pdf = Buffer.from('%PDF-1.4\n% a contract\n%%EOF\n')
    const doc = await attachDocument(staff, MARIA, { kind: 'contract', title: 'Договор оказания услуг', fileName: 'договор.pdf', bytes: pdf })
    expect(doc).toMatchObject({ kind: 'contract', mimeType: 'application/pdf', uploadedBy: OWNER, fileName: 'договор.pdf' })
    await expect(attachDocument(staff, MARIA, { kind: 'act', title: 'x', fileName: 'x.exe', bytes: Buffer.from('MZ\x90\x00') })).rejects.toMatchObject({ code: 'document_type_unsupported' })
    await expect(attachDocument(services.customer(MARIA), MARIA, { kind: 'act', title: 'x', fileName: 'x.pdf', bytes: pdf })).rejects.toMatchObject({ code: 'forbidden' })
    const link = await createDocumentLink(services.customer(MARIA), doc.id)
    await revokeDocument(staff, MARIA, doc.id)
    await expect(resolveDocumentLink(handle.db, link.path.split('/').pop()!, MARIA)).rejects.toMatchObject({ code: 'not_found' })
    expect((await listDocuments(handle.db, MARIA)).map((d) => d.id)).not.toContain(doc.id)
    expect((await services.queued('account.purge-files')).length).toBeGreaterThan(0)
    const again = await attachDocument(staff, MARIA, { kind: 'certificate', title: 'Сертификат бариста', fileName: 'cert.pdf', bytes: pdf })
    expect((await handle.db.select().from(auditEntries).where(eq(auditEntries.action, 'document.attach'))).map((a) => a.entityId)).toContain(String(MARIA))
    expect(again.kind).toBe('certificate')
  })

  it('shows one history across modules, newest first, paged and searchable', async () => {
    const second = await paidOrder(MARIA)
    await issueReceipt(services.system(), second.id)
    await handle.db.update(orders).set({ createdAt: sql`now() + interval '1 minute'` }).where(eq(orders.id, second.id))
    const first = await customerHistory(handle.db, MARIA, { limit: 1 })
    expect(first.items).toMatchObject([{ module: 'orders', id: String(second.id), title: second.number, status: 'paid', nextStep: 'wait', link: `/app/orders/${second.id}` }])
    const next = await customerHistory(handle.db, MARIA, { limit: 1, before: first.nextBefore! })
    expect(next.items).toHaveLength(1)
    expect(next.items[0]!.id).not.toBe(String(second.id))
    expect(next.nextBefore).toBeNull()
    expect((await customerHistory(handle.db, MARIA, { limit: 10, q: second.number })).items.map((i) => i.id)).toEqual([String(second.id)])
    expect((await customerHistory(handle.db, MARIA, { limit: 10, q: 'капуч' })).items).toHaveLength(2)
    expect((await customerHistory(handle.db, IVAN, { limit: 10 })).items).toEqual([])
  })

  it('finds a customer for operators by name, username, phone and order number, and shows their card', async () => {
    const [order] = await handle.db.select().from(orders).where(eq(orders.userId, MARIA)).limit(1)
    for (const q of ['Тестова', 'maria_t', '900 123 45', order!.number]) expect((await searchCustomers(handle.db, { q, limit: 10 })).map((c) => c.id)).toContain(MARIA)
    await addCustomerNote(services.staff(OWNER), MARIA, 'Любит овсяное молоко')
    const card = await customerCard(handle.db, MARIA)
    expect(card.profile.user.id).toBe(MARIA)
    expect(card.history.items.length).toBe(2)
    expect(card.notes.map((n) => n.body)).toEqual(['Любит овсяное молоко'])
    expect(card.documents.some((d) => d.revoked)).toBe(true)
  })

  it("exports everything as one archive: JSON with every module's records plus the PDFs", async () => {
    const { bytes } = await exportAccountData(services.customer(MARIA))
    const files = unzipSync(bytes)
    const data = JSON.parse(strFromU8(files['account.json']!))
    expect(data.profile).toMatchObject({ email: 'maria@example.com', user: { id: MARIA } })
    expect(data.addresses.map((a: { label: string }) => a.label)).toEqual(['Дом'])
    for (const section of ACCOUNT_SECTIONS.filter((s) => s.exportData)) expect(data.modules).toHaveProperty(section.key)
    expect(data.modules.orders).toHaveLength(2)
    expect(data.modules.payments).toHaveLength(2)
    const pdfs = Object.keys(files).filter((f) => f.startsWith('documents/'))
    expect(pdfs.length).toBe(data.documents.length)
    expect(pdfs.some((f) => f.endsWith('.pdf') && strFromU8(files[f]!.subarray(0, 5)) === '%PDF-')).toBe(true)
    expect((await handle.db.select().from(auditEntries).where(eq(auditEntries.action, 'account.export'))).length).toBe(1)
  })

  it('deletes the account: no personal data left anywhere, money records kept anonymised, report totals unchanged', async () => {
    await storeUpdate(handle.db, { update_id: 9001, message: { message_id: 1, date: 1, chat: { id: MARIA, type: 'private' }, from: { id: MARIA, is_bot: false, first_name: 'Мария', last_name: 'Тестова', username: 'maria_t' }, text: 'Привет' } } as never)
    await markUpdateDone(handle.db, 9001)
    const reportBefore = await paymentsReport(handle.db, {})
    const [{ n: ordersBefore }] = rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from orders`)) as [{ n: number }]
    await expect(deleteAccount(services.customer(OWNER))).rejects.toMatchObject({ code: 'conflict' }) // staff are closed by an owner
    expect(AccountDeletionSchema.safeParse({ confirm: false }).success).toBe(false)
    // What Maria has in the other modules that point at customers: a support conversation, a sent form, a booking.
    const [conversation] = rowsOf<{ id: number }>(await handle.db.execute(sql`insert into support_conversations (customer_id, last_message_preview) values (${MARIA}, 'Это Мария Тестова') returning id`))
    await handle.db.execute(sql`insert into support_messages (conversation_id, kind, author_id, text) values (${conversation!.id}, 'customer', ${MARIA}, 'Это Мария Тестова, заказ на Тверской')`)
    await handle.db.execute(sql`insert into form_submissions (form_id, form_version_id, user_id, values, idempotency_key)
      select f.id, v.id, ${MARIA}, '{"name":"Мария Тестова","phone":"+7 900 123-45-67"}'::jsonb, 'form-key-1' from forms f join form_versions v on v.form_id = f.id limit 1`)
    await handle.db.execute(sql`insert into bookings (user_id, service_id, resource_id, status, starts_at, ends_at, occupied_from, occupied_to, timezone, price_minor, currency, idempotency_key)
      select ${MARIA}, s.id, r.id, 'confirmed', now() + interval '2 days', now() + interval '2 days 1 hour', now() + interval '2 days', now() + interval '2 days 1 hour', 'Europe/Moscow', 150000, 'RUB', 'booking-key-1'
      from booking_services s cross join booking_resources r limit 1`)
    const history = await customerHistory(handle.db, MARIA, { limit: 50 })
    expect(new Set(history.items.map((i) => i.module))).toEqual(new Set(['orders', 'support', 'forms', 'bookings']))

    const result = await deleteAccount(services.customer(MARIA))
    expect(result.summary).toMatchObject({ ordersAnonymised: 2, paymentsAnonymised: 2, receiptsKept: 2, telegramUpdatesDeleted: 1, storedRequestsDeleted: 2, supportConversationsDeleted: 1, formSubmissionsDeleted: 1, bookingsDeleted: 1 })

    const tables = rowsOf<{ table_name: string }>(await handle.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)).map((t) => t.table_name)
    const leftovers: string[] = []
    for (const table of tables) {
      for (const needle of ['Тестова', 'maria_t', '9001234567', 'maria@example.com', 'Тверск', 'Мясницкая', String(MARIA)]) {
        // The audit log is append-only evidence: it names who acted (ids), never a customer's contact data.
        if (table === 'audit_entries' && needle === String(MARIA)) continue
        const [{ n }] = rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} t where t::text ilike ${`%${needle}%`}`)) as [{ n: number }]
        if (n) leftovers.push(`${table}: ${needle}`)
      }
    }
    expect(leftovers).toEqual([])
    expect(await paymentsReport(handle.db, {})).toEqual(reportBefore)
    expect(rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from orders`))[0]!.n).toBe(ordersBefore)
    expect((await handle.db.select().from(orders).where(eq(orders.userId, result.placeholderId))).every((o) => o.contactName === '—')).toBe(true)
    expect(await listDocuments(handle.db, result.placeholderId)).toHaveLength(2)
    const [audit] = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, 'account.delete'))
    expect(audit).toMatchObject({ actorVia: 'system', entityType: 'account_deletion' })
    expect((await services.queued('notifications.chat-message')).some((j) => j.data.chatId === MARIA && String(j.data.text).includes('удалён'))).toBe(true)
  })
})
