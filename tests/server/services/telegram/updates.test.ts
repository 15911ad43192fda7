import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { MAX_UPDATE_ATTEMPTS, dueUpdateIds, getStoredUpdate, openUpdateCounts, processStoredUpdate, runClaimedUpdate, storeAndClaimUpdate, storeUpdate, updateKind } from '../../../../server/services/telegram/updates'
import { firstRow, rowsOf } from '../../../../server/db/results'
import { payments } from '../../../../server/db/schema/payments'
import { createTestDatabase, engine } from '../../../helpers/db'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
})
afterAll(() => handle?.close())

const message = (id: number, text = 'hi') => ({ update_id: id, message: { message_id: 1, date: 1, chat: { id: 7, type: 'private' }, text } })
/** Moves an update's retry time into the past, as if its backoff had run out. */
const makeDue = (id: number) => handle.db.execute(sql`update telegram_updates set next_attempt_at = now() - interval '1 second' where update_id = ${id}`)

describe(`stored Telegram updates on ${engine}`, () => {
  it('stores an update once per update_id, even when the same update arrives concurrently', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => storeUpdate(handle.db, message(1))))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await getStoredUpdate(handle.db, 1)).toMatchObject({ status: 'pending', kind: 'message', attempts: 0 })
  })

  it('stores a burst of webhook updates together: each once, each claimed, a repeat in the same statement a repeat', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => 70_000 + (i % 100))
    const claimed = await Promise.all(ids.map((id) => storeAndClaimUpdate(handle.db, message(id))))
    // 100 distinct ids among 150 deliveries: the first delivery of each claims it, every other is a repeat.
    expect(claimed.filter(Boolean)).toHaveLength(100)
    expect(new Set(claimed.filter(Boolean).map((row) => row!.updateId)).size).toBe(100)
    claimed.forEach((row, i) => expect(Boolean(row)).toBe(i < 100))
    const rows = await handle.db.execute(sql`select count(*)::int as n, count(*) filter (where status = 'processing' and attempts = 1)::int as leased from telegram_updates where update_id between 70000 and 70099`)
    expect(firstRow(rows)).toEqual({ n: 100, leased: 100 })
  })

  it('fails only the update the database refuses when it arrives with others', async () => {
    // jsonb cannot hold U+0000 (the webhook refuses it earlier; here it stands for any row the database refuses).
    const results = await Promise.allSettled([80_001, 80_002, 80_003, 80_004, 80_005].map((id) => storeAndClaimUpdate(handle.db, message(id, id === 80_003 ? 'a\u0000b' : 'hi'))))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
    for (const id of [80_001, 80_002, 80_004, 80_005]) expect(await getStoredUpdate(handle.db, id)).toMatchObject({ status: 'processing' })
    expect(await getStoredUpdate(handle.db, 80_003)).toBeUndefined()
  })

  it('stores a repeated payment (its charge recorded already) as handled, leaving the bot nothing to run', async () => {
    const paid = (id: number, charge: string) => ({ update_id: id, message: { message_id: id, date: 1, chat: { id: 7, type: 'private' }, from: { id: 7 }, successful_payment: { currency: 'RUB', total_amount: 100, invoice_payload: 'order:1', telegram_payment_charge_id: charge } } })
    await handle.db.insert(payments).values({ userId: 7, provider: 'telegram_provider', currency: 'RUB', amountMinor: 100, telegramPaymentChargeId: 'charge-recorded', invoicePayload: 'order:1', raw: {} })
    // Arriving together, as in a burst: one statement decides each row.
    const [replay, first, chat] = await Promise.all([storeAndClaimUpdate(handle.db, paid(85_001, 'charge-recorded')), storeAndClaimUpdate(handle.db, paid(85_002, 'charge-new')), storeAndClaimUpdate(handle.db, message(85_003))])
    expect(replay).toMatchObject({ updateId: 85_001, status: 'done' })
    expect(first).toMatchObject({ updateId: 85_002, status: 'processing' })
    expect(chat).toMatchObject({ updateId: 85_003, status: 'processing' })
    expect(await getStoredUpdate(handle.db, 85_001)).toMatchObject({ status: 'done', attempts: 1, lockedUntil: null, processedAt: expect.any(Date) })
    expect(await getStoredUpdate(handle.db, 85_002)).toMatchObject({ status: 'processing', attempts: 1, lockedUntil: expect.any(Date), processedAt: null })
    // Nothing due for a worker either.
    expect(await dueUpdateIds(handle.db, 1000)).not.toContain(85_001)
  })

  it('counts the updates not done by status for a scrape, the same as counting the whole table', async () => {
    await storeUpdate(handle.db, message(86_001))
    await storeAndClaimUpdate(handle.db, message(86_002))
    await handle.db.execute(sql`update telegram_updates set status = 'failed' where update_id = ${86_001}`)
    await storeUpdate(handle.db, message(86_003))
    const all = await handle.db.execute(sql`select status, count(*)::int as n from telegram_updates group by status`)
    const whole: Record<string, number> = Object.fromEntries(rowsOf<{ status: string; n: number }>(all).map((r) => [r.status, r.n]))
    expect(whole.done).toBeGreaterThan(0)
    expect(whole.failed).toBeGreaterThan(0)
    expect(await openUpdateCounts(handle.db)).toEqual({ pending: whole.pending ?? 0, processing: whole.processing ?? 0, failed: whole.failed ?? 0 })
  })

  it('names payment updates so operators can find them', () => {
    expect(updateKind({ update_id: 1, message: { successful_payment: {} } })).toBe('message.successful_payment')
    expect(updateKind({ update_id: 1, pre_checkout_query: {} })).toBe('pre_checkout_query')
  })

  it('lets only one of several concurrent workers handle an update', async () => {
    await storeUpdate(handle.db, message(2))
    let handled = 0
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        processStoredUpdate(handle.db, 2, async () => {
          handled++
          await new Promise((r) => setTimeout(r, 20))
        }),
      ),
    )
    expect(handled).toBe(1)
    expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(1)
    expect(outcomes.filter((o) => o.status === 'skipped')).toHaveLength(5)
    expect(await getStoredUpdate(handle.db, 2)).toMatchObject({ status: 'done', attempts: 1, lastError: null })
    // Done is final: a later sweep or a replay does not run it again.
    expect((await processStoredUpdate(handle.db, 2, async () => void handled++)).status).toBe('skipped')
    expect(handled).toBe(1)
  })

  it('keeps a failed update with its error, backs off, and succeeds on a later attempt', async () => {
    await storeUpdate(handle.db, message(3))
    const failed = await processStoredUpdate(handle.db, 3, async () => {
      throw new Error('Bot API down')
    })
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 })
    const stored = await getStoredUpdate(handle.db, 3)
    expect(stored).toMatchObject({ status: 'pending', lastError: 'Error: Bot API down' })
    expect(stored!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 3000)
    // Not due during the backoff.
    expect(await dueUpdateIds(handle.db)).not.toContain(3)
    expect((await processStoredUpdate(handle.db, 3, async () => {})).status).toBe('skipped')
    await makeDue(3)
    expect(await dueUpdateIds(handle.db)).toContain(3)
    expect((await processStoredUpdate(handle.db, 3, async () => {})).status).toBe('done')
    expect(await getStoredUpdate(handle.db, 3)).toMatchObject({ status: 'done', attempts: 2, lastError: null })
  })

  it('parks an update as failed after the last attempt, keeping the payload for an operator', async () => {
    await storeUpdate(handle.db, message(4, 'poison'))
    for (let i = 0; i < MAX_UPDATE_ATTEMPTS; i++) {
      await makeDue(4)
      await processStoredUpdate(handle.db, 4, async () => {
        throw new Error(`attempt ${i + 1}`)
      })
    }
    const stored = await getStoredUpdate(handle.db, 4)
    expect(stored).toMatchObject({ status: 'failed', attempts: MAX_UPDATE_ATTEMPTS, lastError: `Error: attempt ${MAX_UPDATE_ATTEMPTS}` })
    expect((stored!.payload as { message: { text: string } }).message.text).toBe('poison')
    await makeDue(4)
    expect(await dueUpdateIds(handle.db)).not.toContain(4)
  })

  it('recovers an update whose worker died while holding it (expired lease)', async () => {
    await storeUpdate(handle.db, message(5))
    await handle.db.execute(sql`update telegram_updates set status = 'processing', attempts = 1, locked_until = now() - interval '1 second' where update_id = 5`)
    expect(await dueUpdateIds(handle.db)).toContain(5)
    expect((await processStoredUpdate(handle.db, 5, async () => {})).status).toBe('done')
  })

  it('does not take over an update another worker is still holding', async () => {
    await storeUpdate(handle.db, message(6))
    await handle.db.execute(sql`update telegram_updates set status = 'processing', attempts = 1, locked_until = now() + interval '1 minute' where update_id = 6`)
    expect(await dueUpdateIds(handle.db)).not.toContain(6)
    expect((await processStoredUpdate(handle.db, 6, async () => {})).status).toBe('skipped')
  })

  it('stores a webhook update already leased to the intake, so nobody else handles it meanwhile', async () => {
    const claimed = await storeAndClaimUpdate(handle.db, message(7))
    expect(claimed).toMatchObject({ updateId: 7, attempts: 1 })
    expect(await storeAndClaimUpdate(handle.db, message(7))).toBeUndefined()
    expect(await getStoredUpdate(handle.db, 7)).toMatchObject({ status: 'processing' })
    // A sweep running now leaves it alone...
    expect(await dueUpdateIds(handle.db)).not.toContain(7)
    expect((await processStoredUpdate(handle.db, 7, async () => {})).status).toBe('skipped')
    // ...and the intake finishes it.
    expect((await runClaimedUpdate(handle.db, claimed!, async () => {})).status).toBe('done')
    expect(await getStoredUpdate(handle.db, 7)).toMatchObject({ status: 'done', attempts: 1 })
  })
})
