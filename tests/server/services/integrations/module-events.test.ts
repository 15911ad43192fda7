import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, asc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { bookingServices, integrationDeliveries, integrationEvents, users, webhookEndpoints } from '../../../../server/db/schema'
import { deleteAccount } from '../../../../server/services/account/data'
import { updateAccountProfile } from '../../../../server/services/account/profile'
import { cancelBookingAsCustomer, confirmBooking, findFreeSlots, holdSlot, moveBookingAsStaff, setBookingStatusAsStaff } from '../../../../server/services/booking'
import { addDays, localDay } from '../../../../server/services/booking/time'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createForm, publishForm, submitForm } from '../../../../server/services/forms'
import { deliverOnce } from '../../../../server/services/integrations/delivery'
import { createWebhookEndpoint } from '../../../../server/services/integrations/webhooks'
import { recordCustomerMessage, setConversationStatus } from '../../../../server/services/support'
import { BookingEventPayloadSchema, ConversationEventPayloadSchema, CustomerEventPayloadSchema, FormEventPayloadSchema, INTEGRATION_EVENT_TYPES } from '../../../../shared/schemas/integrations'
import { ProfilePatchSchema } from '../../../../shared/schemas/account'
import { FormInputSchema } from '../../../../shared/schemas/forms'
import { createTestServices, type TestServices } from '../../../helpers/context'
import { createTestDatabase, engine } from '../../../helpers/db'

let handle: DatabaseHandle
let services: TestServices
let webhookId: number
const OPERATOR = 7001
const CUSTOMER = 7002
const TZ = 'Europe/Moscow'
const day = addDays(localDay(new Date(), TZ), 7)

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await seedDemoData(handle.db, { people: true })
  await handle.db.insert(users).values([{ telegramId: OPERATOR, firstName: 'Operator' }, { telegramId: CUSTOMER, firstName: 'Вера', lastName: 'Лис' }]).onConflictDoNothing()
  // A webhook that wants every event: each emitted event gets its delivery to it in the same transaction.
  webhookId = (await createWebhookEndpoint(services.staff(OPERATOR), { name: 'all', url: 'http://127.0.0.1:9/none', events: [...INTEGRATION_EVENT_TYPES] })).webhook.id
}, 240_000)
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

/** The events about one aggregate, oldest first, with whether the webhook got a delivery for each. */
async function eventsOf(aggregateType: string, aggregateId: number) {
  const rows = await handle.db
    .select({ type: integrationEvents.type, payload: integrationEvents.payload, delivery: integrationDeliveries.id })
    .from(integrationEvents)
    .leftJoin(integrationDeliveries, and(eq(integrationDeliveries.eventId, integrationEvents.id), eq(integrationDeliveries.webhookId, webhookId)))
    .where(and(eq(integrationEvents.aggregateType, aggregateType), eq(integrationEvents.aggregateId, String(aggregateId))))
    .orderBy(asc(integrationEvents.createdAt), asc(integrationEvents.id))
  expect(rows.every((r) => r.delivery !== null)).toBe(true)
  return rows
}

describe(`every module emits its integration events on ${engine}`, () => {
  it('bookings: created when confirmed, changed when moved or done, cancelled (a hold is no event)', async () => {
    const [service] = await handle.db.select().from(bookingServices).where(eq(bookingServices.slug, 'latte-art'))
    const { days } = await findFreeSlots(handle.db, { service: 'latte-art', from: day, days: 1 })
    const [first, second] = days[0]!.slots
    const customer = services.customer(CUSTOMER)
    const bookingId = (await holdSlot(customer, { serviceId: service!.id, resourceId: first!.resources[0]!.resourceId, startsAt: first!.startsAt }, 'events-hold-1')).booking.id
    expect(await eventsOf('booking', bookingId)).toEqual([])
    await confirmBooking(customer, bookingId)
    await moveBookingAsStaff(services.staff(OPERATOR, ['owner']), bookingId, { startsAt: second!.startsAt, resourceId: second!.resources[0]!.resourceId })
    await cancelBookingAsCustomer(customer, bookingId)
    const events = await eventsOf('booking', bookingId)
    expect(events.map((e) => e.type)).toEqual(['booking.created', 'booking.changed', 'booking.cancelled'])
    for (const e of events) BookingEventPayloadSchema.parse(e.payload)
    expect(events[1]!.payload).toMatchObject({ startsAt: second!.startsAt.toISOString(), customer: { telegramId: CUSTOMER, name: 'Вера Лис' } })

    const otherId = (await holdSlot(customer, { serviceId: service!.id, resourceId: first!.resources[0]!.resourceId, startsAt: first!.startsAt }, 'events-hold-2')).booking.id
    await confirmBooking(customer, otherId)
    await setBookingStatusAsStaff(services.staff(OPERATOR, ['owner']), otherId, 'done')
    expect((await eventsOf('booking', otherId)).map((e) => e.type)).toEqual(['booking.created', 'booking.changed'])
  })

  it('support: a conversation opened by the first message, closed, reopened', async () => {
    const customer = { ...services.customer(CUSTOMER), actor: { kind: 'customer' as const, userId: CUSTOMER, via: 'bot' as const } }
    const first = await recordCustomerMessage(customer, { text: 'Здравствуйте', sourceKey: `tg:${CUSTOMER}:1`, via: 'bot', locale: 'ru' })
    await recordCustomerMessage(customer, { text: 'Ещё вопрос', sourceKey: `tg:${CUSTOMER}:2`, via: 'bot', locale: 'ru' })
    const operator = services.staff(OPERATOR, ['owner'])
    await setConversationStatus(operator, first.conversationId, 'closed')
    await setConversationStatus(operator, first.conversationId, 'open')
    const events = await eventsOf('conversation', first.conversationId)
    expect(events.map((e) => e.type)).toEqual(['conversation.opened', 'conversation.closed', 'conversation.opened'])
    for (const e of events) ConversationEventPayloadSchema.parse(e.payload)
    expect(events[1]!.payload).toMatchObject({ status: 'closed', customerTelegramId: CUSTOMER })
    expect(JSON.stringify(events)).not.toContain('Здравствуйте') // never the messages
  })

  it('forms: one form.submitted per submission, however often it is sent', async () => {
    const l = (en: string) => ({ ru: en, en })
    const definition = { steps: [{ title: l('Contact'), fields: [{ key: 'name', type: 'text', label: l('Name'), required: true, max: 60 }] }] }
    const form = await createForm(services.staff(OPERATOR, ['owner']), FormInputSchema.parse({ slug: 'callback', title: l('Call me back'), audience: 'anyone', definition }))
    await publishForm(services.staff(OPERATOR, ['owner']), form.id)
    const customer = services.customer(CUSTOMER)
    const values = { name: 'Вера' }
    const { submission } = await submitForm(customer, 'callback', { version: 1, values }, 'events-form-0001')
    await submitForm(customer, 'callback', { version: 1, values }, 'events-form-0001')
    const events = await eventsOf('form_submission', submission.id)
    expect(events.map((e) => e.type)).toEqual(['form.submitted'])
    expect(FormEventPayloadSchema.parse(events[0]!.payload)).toMatchObject({ form: { slug: 'callback', version: 1 }, submittedBy: { telegramId: CUSTOMER, staff: false }, values: { name: 'Вера' } })
  })

  it('customers: created with the first profile, updated on a change of consent, deleted with the account; the outbox then forgets them', async () => {
    const customer = services.customer(CUSTOMER)
    await updateAccountProfile(customer, ProfilePatchSchema.parse({ email: 'vera@example.com' }))
    await updateAccountProfile(customer, ProfilePatchSchema.parse({ notifications: { news: true } }))
    await updateAccountProfile(customer, ProfilePatchSchema.parse({})) // nothing changed: no event
    const before = await eventsOf('customer', CUSTOMER)
    expect(before.map((e) => e.type)).toEqual(['customer.created', 'customer.updated'])
    const [created, updated] = before.map((e) => CustomerEventPayloadSchema.parse(e.payload))
    expect(created).toMatchObject({ telegramId: CUSTOMER, email: 'vera@example.com', newsConsent: false })
    expect(updated).toMatchObject({ newsConsent: true })

    const { placeholderId } = await deleteAccount(customer)
    // Only the erasure notice still names the person, for the partners to find their copy...
    const after = await eventsOf('customer', CUSTOMER)
    expect(after.map((e) => e.type)).toEqual(['customer.deleted'])
    expect(CustomerEventPayloadSchema.parse(after[0]!.payload)).toMatchObject({ telegramId: CUSTOMER, email: 'vera@example.com', newsConsent: false })
    expect((await eventsOf('customer', placeholderId)).map((e) => CustomerEventPayloadSchema.parse(e.payload))).toMatchObject([
      { telegramId: placeholderId, name: '—', email: null },
      { telegramId: placeholderId, name: '—', email: null },
    ])

    // ...until it has gone out: the webhook receives the three in order, then the notice forgets too.
    const received: string[] = []
    const receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        received.push(body)
        res.end('{}')
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      await handle.db.update(webhookEndpoints).set({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` }).where(eq(webhookEndpoints.id, webhookId))
      const deliveries = await handle.db
        .select({ id: integrationDeliveries.id })
        .from(integrationDeliveries)
        .where(and(eq(integrationDeliveries.webhookId, webhookId), eq(integrationDeliveries.aggregateKey, `customer:${placeholderId}`)))
        .orderBy(asc(integrationDeliveries.id))
      expect(deliveries).toHaveLength(3)
      for (const delivery of deliveries) expect(await deliverOnce(services, delivery.id)).toBe('delivered')
    } finally {
      receiver.close()
    }
    expect(received).toHaveLength(3)
    expect(received[2]).toContain('vera@example.com')
    expect(await eventsOf('customer', CUSTOMER)).toEqual([])
    const forgotten = await eventsOf('customer', placeholderId)
    expect(forgotten.map((e) => e.type)).toEqual(['customer.created', 'customer.updated', 'customer.deleted'])
    expect(JSON.stringify(forgotten)).not.toMatch(new RegExp(`vera@example.com|${CUSTOMER}`))
  })
})
