import { and, desc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { auditEntries, integrationConnectors, integrationDeliveries, integrationEvents, integrationInbound, pickupPoints, products, users } from '../../../../server/db/schema'
import { addToCart } from '../../../../server/services/cart'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { dismissConnectorWarning, pruneIntegrationEvents, listConnectorHealth, listDeliveries, retryDeliveries, retryDelivery } from '../../../../server/services/integrations/admin'
import { probeConnectors } from '../../../../server/services/integrations/probe'
import { locateAddress } from '../../../../server/services/integrations/maps'
import { deliverOnce, MAX_ATTEMPTS } from '../../../../server/services/integrations/delivery'
import { emitIntegrationEvent } from '../../../../server/services/integrations/outbox'
import { write } from '../../../../server/services/context'
import { applyStockSync, checkWarehouseWebhookSecret, previewStockSync, receiveWarehouseWebhook } from '../../../../server/services/integrations/warehouse'
import { changeOrderStatusAsStaff, createOrder } from '../../../../server/services/orders'
import { recordSuccessfulPayment } from '../../../../server/services/payments/record'
import { DeliveriesQuerySchema } from '../../../../shared/schemas/integrations'
import { CheckoutSchema } from '../../../../shared/schemas/orders'
import { createTestServices, type TestServices } from '../../../helpers/context'
import { createTestDatabase, engine } from '../../../helpers/db'
import { startFakeAtol, startFakeBitrix24, startFakeGeocoder, startFakeMoySklad, startFakeUniSender } from '../../../helpers/fake-partners'

let handle: DatabaseHandle
let services: TestServices
let crm: Awaited<ReturnType<typeof startFakeBitrix24>>
let warehouse: Awaited<ReturnType<typeof startFakeMoySklad>>
let atol: Awaited<ReturnType<typeof startFakeAtol>>
let mailing: Awaited<ReturnType<typeof startFakeUniSender>>
let maps: Awaited<ReturnType<typeof startFakeGeocoder>>
let pickupId: number
const OPERATOR = 1001
const WEBHOOK_SECRET = 'whsec-0123456789abcdef'

beforeAll(async () => {
  crm = await startFakeBitrix24()
  warehouse = await startFakeMoySklad()
  atol = await startFakeAtol()
  mailing = await startFakeUniSender()
  maps = await startFakeGeocoder()
  handle = await createTestDatabase()
  services = await createTestServices(handle, {
    BITRIX24_WEBHOOK_URL: crm.webhookUrl,
    MOYSKLAD_TOKEN: warehouse.token,
    MOYSKLAD_API_URL: warehouse.apiUrl,
    MOYSKLAD_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ATOL_API_URL: atol.apiUrl,
    ATOL_GROUP_CODE: 'group-1',
    ATOL_LOGIN: atol.login,
    ATOL_PASSWORD: atol.pass,
    ATOL_INN: '7700000000',
    ATOL_COMPANY_EMAIL: 'shop@example.com',
    UNISENDER_API_KEY: mailing.apiKey,
    UNISENDER_LIST_ID: '1',
    UNISENDER_API_URL: mailing.apiUrl,
    YANDEX_GEOCODER_API_KEY: maps.apiKey,
    YANDEX_GEOCODER_URL: maps.apiUrl,
    PARTNER_TIMEOUT_MS: '2000', // generous: a busy machine must not turn a normal answer into a timeout
  })
  await seedDemoData(handle.db, { people: true })
  await handle.db.insert(users).values({ telegramId: OPERATOR, firstName: 'Operator' }).onConflictDoNothing()
  pickupId = (await handle.db.select().from(pickupPoints))[0]!.id
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
  await crm?.close()
  await warehouse?.close()
  await atol?.close()
  await mailing?.close()
  await maps?.close()
})

const productId = async (slug: string) => (await handle.db.select().from(products).where(eq(products.slug, slug)))[0]!.id
const stockOf = async (slug: string) => (await handle.db.select().from(products).where(eq(products.slug, slug)))[0]!.stock

/** A customer places a pickup order paid on collection: the CRM hears of it at once. */
async function placeOrder(userId: number, slug = 'croissant', quantity = 1, paymentMethod: 'cash_on_delivery' | 'telegram' = 'cash_on_delivery') {
  await handle.db.insert(users).values({ telegramId: userId, firstName: `Customer ${userId}` }).onConflictDoNothing()
  await addToCart(handle.db, userId, { productId: await productId(slug), options: {}, quantity })
  const checkout = CheckoutSchema.parse({ delivery: { method: 'pickup', pickupPointId: pickupId }, contact: { name: 'Мария', phone: '+7 900 123-45-67' }, paymentMethod })
  return (await createOrder(services.customer(userId), checkout, `order-${userId}-${Date.now()}`)).order
}

/** The deliveries of an order's events (CRM unless said), oldest first. */
async function crmDeliveries(orderId: number, connector: 'crm' | 'billing' = 'crm') {
  return handle.db
    .select({ id: integrationDeliveries.id, status: integrationDeliveries.status, attempts: integrationDeliveries.attempts, type: integrationEvents.type, lastError: integrationDeliveries.lastError, lastHttpStatus: integrationDeliveries.lastHttpStatus, issues: integrationDeliveries.contractIssues, externalId: integrationDeliveries.externalId })
    .from(integrationDeliveries)
    .innerJoin(integrationEvents, eq(integrationEvents.id, integrationDeliveries.eventId))
    .where(and(eq(integrationDeliveries.aggregateKey, `order:${orderId}`), eq(integrationDeliveries.connector, connector)))
    .orderBy(integrationDeliveries.id)
}
const dealsOf = (orderId: number) => crm.deals.filter((d) => d.ORIGIN_ID === `order-${orderId}`)
const addCalls = () => crm.calls.filter((c) => c.method === 'crm.deal.add').length

describe(`integrations: CRM (Bitrix24) on ${engine}`, () => {
  it('writes the event in the order transaction and queues its delivery', async () => {
    const order = await placeOrder(3001)
    const [delivery] = await crmDeliveries(order.id)
    expect(delivery).toMatchObject({ status: 'pending', type: 'order.created', attempts: 0 })
    const queued = await services.queued('integrations.deliver')
    expect(queued.map((j) => j.data.deliveryId)).toContain(delivery!.id)
    expect(await deliverOnce(services, delivery!.id)).toBe('delivered')
    expect(dealsOf(order.id)).toEqual([expect.objectContaining({ TITLE: `Order ${order.number}`, STAGE_ID: 'NEW', OPPORTUNITY: order.totalMinor / 100, CURRENCY_ID: 'RUB', ORIGINATOR_ID: 'tma-platform' })])
    expect((await crmDeliveries(order.id))[0]).toMatchObject({ status: 'delivered', externalId: dealsOf(order.id)[0]!.ID })
    // A repeated job for a delivered delivery sends nothing.
    const before = crm.calls.length
    expect(await deliverOnce(services, delivery!.id)).toBe('skipped')
    expect(crm.calls.length).toBe(before)
  })

  it('retries a partner that answers 500 or not at all, then delivers exactly once', async () => {
    crm.plan['crm.deal.list'] = ['http500', 'hang', 'http500']
    const order = await placeOrder(3002)
    const [delivery] = await crmDeliveries(order.id)
    expect(await deliverOnce(services, delivery!.id)).toBe('retrying')
    expect((await crmDeliveries(order.id))[0]).toMatchObject({ status: 'pending', attempts: 1, lastHttpStatus: 500 })
    const retry = (await services.queued('integrations.deliver')).filter((j) => j.data.deliveryId === delivery!.id).at(-1)!
    expect(retry.startAfter.getTime()).toBeGreaterThan(Date.now())
    expect(await deliverOnce(services, delivery!.id)).toBe('retrying')
    expect((await crmDeliveries(order.id))[0]!.lastError).toMatch(/no answer in time/)
    expect(await deliverOnce(services, delivery!.id)).toBe('retrying')
    expect(await deliverOnce(services, delivery!.id)).toBe('delivered')
    expect(dealsOf(order.id)).toHaveLength(1)
    const health = (await listConnectorHealth(handle.db, services.config)).find((c) => c.connector === 'crm')!
    expect(health).toMatchObject({ configured: true, state: 'ok', failureCount: 3 })
    expect(health.successCount).toBeGreaterThanOrEqual(2)
  })

  it('never makes a second deal when the answer to the first was lost', async () => {
    crm.plan['crm.deal.add'] = ['lose-answer']
    const order = await placeOrder(3003)
    const [delivery] = await crmDeliveries(order.id)
    const adds = addCalls()
    expect(await deliverOnce(services, delivery!.id)).toBe('retrying')
    expect(dealsOf(order.id)).toHaveLength(1) // the partner made it, we never heard
    expect(await deliverOnce(services, delivery!.id)).toBe('delivered')
    expect(dealsOf(order.id)).toHaveLength(1)
    expect(addCalls()).toBe(adds + 1)
    expect((await crmDeliveries(order.id))[0]!.externalId).toBe(dealsOf(order.id)[0]!.ID)
  })

  it('moves the deal along with the order, events of one order in the order they happened', async () => {
    const order = await placeOrder(3004)
    await deliverOnce(services, (await crmDeliveries(order.id))[0]!.id)
    await changeOrderStatusAsStaff(services.staff(OPERATOR, ['operator']), order.id, 'in_progress')
    await changeOrderStatusAsStaff(services.staff(OPERATOR, ['operator']), order.id, 'ready')
    await changeOrderStatusAsStaff(services.staff(OPERATOR, ['operator']), order.id, 'done')
    const [, inProgress, ready, done] = await crmDeliveries(order.id)
    // The last event's job runs first: it waits for the earlier ones, without spending an attempt.
    expect(await deliverOnce(services, done!.id)).toBe('waiting')
    expect((await crmDeliveries(order.id))[3]).toMatchObject({ status: 'pending', attempts: 0 })
    expect(await deliverOnce(services, inProgress!.id)).toBe('delivered')
    expect(dealsOf(order.id)[0]!.STAGE_ID).toBe('EXECUTING')
    expect(await deliverOnce(services, ready!.id)).toBe('delivered')
    expect(await deliverOnce(services, done!.id)).toBe('delivered')
    expect(dealsOf(order.id)).toEqual([expect.objectContaining({ STAGE_ID: 'WON' })])
  })

  it('holds deliveries whose answer broke the contract, warns staff once, and replays them when fixed', async () => {
    crm.plan['crm.deal.add'] = ['renamed']
    crm.plan['crm.deal.list'] = ['renamed']
    const first = await placeOrder(3005)
    const second = await placeOrder(3006)
    const [a] = await crmDeliveries(first.id)
    const [b] = await crmDeliveries(second.id)
    expect(await deliverOnce(services, a!.id)).toBe('held') // crm.deal.list answered { items } instead of { result }
    expect(await deliverOnce(services, b!.id)).toBe('held') // crm.deal.add answered { result: { id } }
    const [heldA] = await crmDeliveries(first.id)
    const [heldB] = await crmDeliveries(second.id)
    expect(heldA!.issues).toEqual([expect.objectContaining({ path: 'result' })])
    expect(heldB!.issues).toEqual([expect.objectContaining({ path: 'result' })])
    const health = (await listConnectorHealth(handle.db, services.config)).find((c) => c.connector === 'crm')!
    expect(health.state).toBe('degraded')
    expect(health.warning).toMatch(/no longer matches its contract/)
    expect(health.deliveries.held).toBe(2)
    expect(await services.queued('integrations.alert')).toHaveLength(1)
    const log = await listDeliveries(handle.db, DeliveriesQuerySchema.parse({ status: 'held' }))
    expect(log.items.map((d) => d.id).sort()).toEqual([a!.id, b!.id].sort())

    // The partner is fixed: staff replay everything held.
    expect(await retryDeliveries(services.staff(OPERATOR, ['owner']), 'crm', 'held')).toEqual({ connector: 'crm', retried: 2 })
    expect(await deliverOnce(services, a!.id)).toBe('delivered')
    expect(await deliverOnce(services, b!.id)).toBe('delivered')
    expect(dealsOf(first.id)).toHaveLength(1)
    expect(dealsOf(second.id)).toHaveLength(1) // made by the attempt whose answer was renamed, found again
    expect((await listConnectorHealth(handle.db, services.config)).find((c) => c.connector === 'crm')!.state).toBe('ok')
    const [audit] = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, 'integration.retry-all')).orderBy(desc(auditEntries.id))
    expect(audit).toBeDefined()
  })

  it('declares a delivery dead after the attempt limit; a person can send it again', async () => {
    const order = await placeOrder(3007)
    const [delivery] = await crmDeliveries(order.id)
    await handle.db.update(integrationDeliveries).set({ attempts: MAX_ATTEMPTS - 1 }).where(eq(integrationDeliveries.id, delivery!.id))
    crm.plan['crm.deal.list'] = ['http500']
    expect(await deliverOnce(services, delivery!.id)).toBe('dead')
    await expect(retryDelivery(services.staff(OPERATOR, ['owner']), (await crmDeliveries(3_000_000))[0]?.id ?? 2_000_000)).rejects.toMatchObject({ code: 'not_found' })
    await retryDelivery(services.staff(OPERATOR, ['owner']), delivery!.id)
    expect(await deliverOnce(services, delivery!.id)).toBe('delivered')
    await expect(retryDelivery(services.staff(OPERATOR, ['owner']), delivery!.id)).rejects.toMatchObject({ code: 'conflict' })
    expect(dealsOf(order.id)).toHaveLength(1)
  })
})

describe(`integrations: the probe on ${engine}`, () => {
  it('notices a partner that changed its format before any order meets it', async () => {
    const alerts = (await services.queued('integrations.alert')).length
    crm.plan['crm.deal.list'] = ['renamed']
    const results = await probeConnectors(services.system('integrations.probe'))
    expect(results).toEqual(expect.arrayContaining([expect.objectContaining({ connector: 'crm', ok: false, problem: 'contract' }), expect.objectContaining({ connector: 'billing', ok: true }), expect.objectContaining({ connector: 'mailing', ok: true }), expect.objectContaining({ connector: 'warehouse', ok: true }), expect.objectContaining({ connector: 'maps', ok: true })]))
    const crmHealth = (await listConnectorHealth(handle.db, services.config)).find((c) => c.connector === 'crm')!
    expect(crmHealth).toMatchObject({ state: 'degraded', warning: expect.stringMatching(/^Probe: Bitrix24 crm.deal.list/) })
    expect(await services.queued('integrations.alert')).toHaveLength(alerts + 1)
    // Staff checked it (the partner was fixed): the warning goes, audited.
    await dismissConnectorWarning(services.staff(OPERATOR, ['owner']), 'crm')
    expect((await probeConnectors(services.system('integrations.probe'))).every((r) => r.ok)).toBe(true)
    expect((await listConnectorHealth(handle.db, services.config)).find((c) => c.connector === 'crm')!.state).toBe('ok')
  })
})

describe(`integrations: receipts (ATOL Online) on ${engine}`, () => {
  it('prints one receipt per paid order, even when the answer to the first try was lost; none for orders paid on collection', async () => {
    const cash = await placeOrder(3201)
    expect(await crmDeliveries(cash.id, 'billing')).toEqual([])
    const order = await placeOrder(3202, 'croissant', 2, 'telegram')
    expect(await crmDeliveries(order.id)).toEqual([]) // an unpaid Telegram checkout is no deal yet
    const paid = await recordSuccessfulPayment(services.system('test'), { userId: 3202, currency: order.currency, totalAmount: order.totalMinor, invoicePayload: `order:${order.id}`, telegramPaymentChargeId: `charge-${order.id}`, raw: {} })
    expect(paid.status).toBe('paid')
    const [receipt] = await crmDeliveries(order.id, 'billing')
    expect(receipt).toMatchObject({ type: 'order.paid', status: 'pending' })
    expect((await crmDeliveries(order.id)).map((d) => d.type)).toEqual(['order.paid']) // and now it is a deal
    atol.plan.push('lose-answer')
    expect(await deliverOnce(services, receipt!.id)).toBe('retrying')
    expect(atol.documents.size).toBe(1)
    expect(await deliverOnce(services, receipt!.id)).toBe('delivered')
    expect(atol.documents.size).toBe(1)
    const [doc] = [...atol.documents.values()]
    expect(doc).toMatchObject({ operation: 'sell', body: { external_id: (await handle.db.select().from(integrationDeliveries).where(eq(integrationDeliveries.id, receipt!.id)))[0]!.eventId } })
    expect(doc!.body.receipt).toMatchObject({ total: order.totalMinor / 100, payments: [{ type: 1, sum: order.totalMinor / 100 }], company: { inn: '7700000000' } })
    expect((await crmDeliveries(order.id, 'billing'))[0]).toMatchObject({ status: 'delivered', externalId: doc!.uuid })
  })
})

describe(`integrations: mailing (UniSender) on ${engine}`, () => {
  /** What the account module does when a customer's contact or consent changes: an event in its own write. */
  const customerEvent = (type: 'customer.created' | 'customer.updated' | 'customer.deleted', payload: Record<string, unknown>) =>
    write(services.system('account'), (w) => emitIntegrationEvent(w, { type, aggregateType: 'customer', aggregateId: payload.telegramId as number, payload }))

  it('subscribes customers who agreed to news once, and removes them when they withdraw', async () => {
    const anna = { telegramId: 3301, name: 'Анна', email: 'anna@example.com', phone: '+7 900 111-22-33', newsConsent: true }
    const [created] = (await customerEvent('customer.created', anna)).deliveries
    mailing.plan.push('lose-answer')
    expect(await deliverOnce(services, created!)).toBe('retrying')
    expect(await deliverOnce(services, created!)).toBe('delivered')
    expect(mailing.contacts.size).toBe(1)
    expect(mailing.contacts.get('anna@example.com')).toMatchObject({ fields: { email: 'anna@example.com', phone: '+79001112233', Name: 'Анна' } })
    expect([...mailing.contacts.get('anna@example.com')!.lists]).toEqual(['1'])

    const [withdrawn] = (await customerEvent('customer.updated', { ...anna, newsConsent: false })).deliveries
    expect(await deliverOnce(services, withdrawn!)).toBe('delivered')
    expect([...mailing.contacts.get('anna@example.com')!.lists]).toEqual([])
    // Without an e-mail or phone there is nothing to send to UniSender.
    expect((await customerEvent('customer.created', { telegramId: 3302, name: 'Без почты', newsConsent: true })).deliveries).toEqual([])
  })
})

describe(`integrations: maps (Yandex Geocoder) on ${engine}`, () => {
  it('finds an address and the delivery zone that covers it; a changed answer is never used', async () => {
    maps.places.set('Москва, Маросейка 2', { lon: 37.6331, lat: 55.7572, postalCode: '101000', city: 'Москва', street: 'улица Маросейка', house: '2' })
    maps.places.set('Москва, Ленинский 30', { lon: 37.5829, lat: 55.7103, postalCode: '119334', city: 'Москва', street: 'Ленинский проспект', house: '30' })
    const ctx = services.staff(OPERATOR, ['operator'])
    const centre = await locateAddress(ctx, 'Москва, Маросейка 2')
    expect(centre.found).toMatchObject({ lat: 55.7572, lon: 37.6331, postCode: '101000', city: 'Москва', precision: 'exact' })
    expect(centre.zones.map((z) => z.slug)).toEqual(['center']) // by post code, more specific than the city
    expect((await locateAddress(ctx, 'Москва, Ленинский 30')).zones.map((z) => z.slug)).toEqual(['ttk'])
    expect(await locateAddress(ctx, 'Нигде, 0')).toEqual({ found: null, zones: [] })
    maps.plan.push('renamed') // Point.coordinates instead of Point.pos
    await expect(locateAddress(ctx, 'Москва, Маросейка 2')).rejects.toMatchObject({ code: 'partner_contract_changed', details: { issues: [expect.objectContaining({ path: 'response.GeoObjectCollection.featureMember.0.GeoObject.Point.pos' })] } })
    expect((await listConnectorHealth(handle.db, services.config)).find((c) => c.connector === 'maps')!.state).toBe('degraded')
  })
})

describe(`integrations: warehouse (MoySklad) on ${engine}`, () => {
  it('shows a dry-run diff first, respects our reservations, and applies only when a person says so', async () => {
    warehouse.items.push({ id: 'a1b2-croissant', name: 'Круассан', externalCode: 'croissant', stock: 40 }, { id: 'a1b2-americano', name: 'Американо', externalCode: 'americano', stock: 25 }, { id: 'a1b2-unknown', name: 'Не наш товар', stock: 3 })
    await placeOrder(3101, 'croissant', 2)
    const before = await stockOf('croissant')
    const diff = await previewStockSync(services.staff(OPERATOR, ['owner']))
    expect(diff.firstImport).toBe(true)
    expect(diff.unmatched).toBe(1)
    const croissant = diff.changes.find((c) => c.slug === 'croissant')!
    expect(croissant.warehouse).toBe(40)
    expect(croissant.reserved).toBeGreaterThanOrEqual(2)
    expect(croissant.to).toBe(40 - croissant.reserved)
    expect(await stockOf('croissant')).toBe(before) // a preview changes nothing

    // The schedule does not import before a person did.
    expect((await applyStockSync(services.system('integrations.warehouse-sync:schedule'))).applied).toBe(false)
    expect(await stockOf('croissant')).toBe(before)

    const applied = await applyStockSync(services.staff(OPERATOR, ['owner']))
    expect(applied.applied).toBe(true)
    expect(await stockOf('croissant')).toBe(40 - croissant.reserved)
    expect(await stockOf('americano')).toBe(25 - (diff.changes.find((c) => c.slug === 'americano')?.reserved ?? 0))
    const events = await handle.db.select().from(integrationEvents).where(eq(integrationEvents.type, 'stock.changed'))
    expect(events.map((e) => e.payload.slug)).toEqual(expect.arrayContaining(['croissant']))

    // From now on the schedule applies changes by itself.
    warehouse.items[0]!.stock = 50
    expect((await applyStockSync(services.system('integrations.warehouse-sync:schedule'))).applied).toBe(true)
    expect(await stockOf('croissant')).toBe(50 - croissant.reserved)
  })

  it('quarantines a stock report that broke the contract and applies none of it', async () => {
    warehouse.items[0]!.stock = 7
    warehouse.plan.push('renamed') // { assortmentId, quantity } instead of { assortmentId, stock }
    const before = await stockOf('croissant')
    await expect(applyStockSync(services.system('integrations.warehouse-sync:schedule'))).rejects.toMatchObject({ code: 'partner_contract_changed' })
    expect(await stockOf('croissant')).toBe(before)
    const [row] = await handle.db.select().from(integrationInbound).where(eq(integrationInbound.status, 'quarantined')).orderBy(desc(integrationInbound.id))
    expect(row!.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: '0.stock' })]))
    expect(row!.raw).toEqual(expect.arrayContaining([expect.objectContaining({ quantity: 7 })]))
    const [health] = await handle.db.select().from(integrationConnectors).where(eq(integrationConnectors.connector, 'warehouse'))
    expect(health!.state).toBe('degraded')
  })

  it('accepts a webhook only with its secret and only in the documented shape', async () => {
    const ctx = services.system('integrations.webhook')
    expect(() => checkWarehouseWebhookSecret(ctx, 'wrong-secret-0000')).toThrowError(expect.objectContaining({ code: 'integration_webhook_unauthorized' }))
    expect(() => checkWarehouseWebhookSecret(ctx, undefined)).toThrowError(expect.objectContaining({ code: 'integration_webhook_unauthorized' }))
    expect(() => checkWarehouseWebhookSecret(ctx, WEBHOOK_SECRET)).not.toThrow()
    const ok = await receiveWarehouseWebhook(ctx, { events: [{ meta: { type: 'product', href: `${warehouse.apiUrl}/entity/product/a1b2-croissant` }, action: 'UPDATE', accountId: 'acc-1' }] })
    expect(ok.accepted).toBe(true)
    expect(await services.queued('integrations.warehouse-stock-sync')).toEqual([expect.objectContaining({ data: { reason: 'webhook' } })])
    const stock = await receiveWarehouseWebhook(ctx, { accountId: 'acc-1', stockType: 'stock', reportType: 'all', reportUrl: `${warehouse.apiUrl}/report/stock/all/current?changedSince=2026-12-01` })
    expect(stock.accepted).toBe(true)
    const bad = await receiveWarehouseWebhook(ctx, { events: [{ entity: 'product', action: 'UPDATE' }] })
    expect(bad.accepted).toBe(false)
    const [row] = await handle.db.select().from(integrationInbound).where(eq(integrationInbound.kind, 'webhook')).orderBy(desc(integrationInbound.id))
    expect(row).toMatchObject({ status: 'quarantined' })
  })
})

describe(`integrations: history on ${engine}`, () => {
  it('forgets old delivered events, keeps anything not yet delivered', async () => {
    const [held] = await handle.db.select().from(integrationDeliveries).where(eq(integrationDeliveries.status, 'delivered')).limit(1)
    await handle.db.update(integrationEvents).set({ createdAt: new Date(Date.now() - 100 * 86_400_000) })
    await handle.db.update(integrationDeliveries).set({ status: 'held' }).where(eq(integrationDeliveries.id, held!.id))
    const removed = await pruneIntegrationEvents(handle.db)
    expect(removed.events).toBeGreaterThan(0)
    const left = await handle.db.select({ id: integrationEvents.id }).from(integrationEvents)
    expect(left.map((e) => e.id)).toContain(held!.eventId)
    expect(await handle.db.select().from(integrationDeliveries).where(eq(integrationDeliveries.id, held!.id))).toHaveLength(1)
  })
})
