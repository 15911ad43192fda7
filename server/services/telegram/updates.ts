import { and, desc, eq, inArray, lte, lt, or, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { DbOrTx } from '../../db/client'
import { telegramUpdates, type TelegramUpdateStatus } from '../../db/schema/telegram'
import { containsUnstorableText } from '#shared/schemas/common'
import { infrastructureFailure } from '../../utils/infrastructure'
import { untilStored } from '../../utils/durable'
import { GroupCommit, groupCommitPer, isTransaction } from '../../db/group-commit'
import { chargeOfUpdate, chargeRecordedSql } from '../payments/charges'
import { rowsOf } from '../../db/results'

/** After this many failed attempts an update is parked as `failed` for an operator to look at. */
export const MAX_UPDATE_ATTEMPTS = 10
/** How long one handler may hold an update before another worker may take it over. */
const LEASE_SECONDS = 60

/** The only thing we require of an update before storing it: an id and one payload field. */
export const TelegramUpdateSchema = z
  .object({ update_id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) })
  .catchall(z.unknown())
  .refine((update) => Object.keys(update).some((key) => key !== 'update_id'), { message: 'update carries no payload' })
  // Stored as jsonb, which cannot hold U+0000 or a lone surrogate: such an update is refused (400), never a 500.
  .refine((update) => !containsUnstorableText(update), { message: 'update contains the NUL character or broken Unicode' })

export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>

export function updateKind(update: TelegramUpdate) {
  const key = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown'
  const message = update[key] as Record<string, unknown> | undefined
  // Payments arrive as messages; name them so operators can find them.
  if (key === 'message' && message && typeof message === 'object') {
    if ('successful_payment' in message) return 'message.successful_payment'
    if ('refunded_payment' in message) return 'message.refunded_payment'
  }
  return key
}

/**
 * Stores an update unless its `update_id` was seen before; returns whether this call stored it.
 * With `claim`, the stored row is already leased to the caller, so the first handling costs no
 * second write (the intake path: store, answer 200, handle).
 */
export async function storeUpdate(db: DbOrTx, update: TelegramUpdate, options: { claim?: boolean } = {}): Promise<boolean> {
  return Boolean((await insertUpdates(db, [update], options.claim ? 'processing' : 'pending'))[0])
}

export type StoredUpdate = typeof telegramUpdates.$inferSelect
type ClaimedRow = Pick<StoredUpdate, 'updateId' | 'attempts' | 'payload' | 'status'>

/** Rows per statement of the intake and the done marks: updates are small (1 MB at most, most < 2 KB). */
const MAX_BATCH = 64

/**
 * The row a stored update starts as: waiting for a worker, leased to the caller, or already handled.
 * Leased (the webhook's intake) means leased unless its handling is known, as the row is written, to
 * change nothing: a `successful_payment` whose charge is recorded (Telegram's redeliveries and
 * replays of a payment) is stored as done, and the caller does not run the bot on it.
 */
type StoredAs = 'pending' | 'processing' | 'done'

/** Per starting state: the row's status, attempts, lease and handled time; `settled` is true for a repeated payment. */
const STARTING_ROW: Record<StoredAs, SQL> = {
  pending: sql.raw(`'pending', 0, null, null`),
  processing: sql.raw(`case when settled then 'done' else 'processing' end, 1, case when not settled then now() + make_interval(secs => ${LEASE_SECONDS}) end, case when settled then now() end`),
  done: sql.raw(`'done', 1, null, now()`),
}

/**
 * Stores updates, each unless its `update_id` is known; per update the stored row, or undefined for
 * a repeat (a later copy in the same call too). One statement whatever the number of updates: its
 * text depends only on the starting state, so it is prepared once per connection, and the rows go as
 * one JSON parameter. Whether a payment's charge is recorded is looked up in the same statement.
 */
async function insertUpdates(db: DbOrTx, updates: TelegramUpdate[], as: StoredAs): Promise<(ClaimedRow | undefined)[]> {
  const first = new Map<number, number>()
  updates.forEach((update, i) => first.has(update.update_id) || first.set(update.update_id, i))
  const batch = [...first.values()].map((i) => updates[i]!)
  const rows = batch.map((update) => ({ update_id: update.update_id, kind: updateKind(update), payload: update, charge: chargeOfUpdate(update) }))
  const result = await db.execute(sql`
    insert into ${telegramUpdates} (update_id, kind, payload, status, attempts, locked_until, processed_at)
    select u.update_id, u.kind, u.payload, ${STARTING_ROW[as]}
    from (
      select u.*, ${chargeRecordedSql(sql.raw('u.charge'))} as settled
      from json_to_recordset(${JSON.stringify(rows)}::json) as u(update_id bigint, kind text, payload jsonb, charge text)
    ) u
    on conflict (update_id) do nothing
    returning update_id, attempts, payload, status`)
  const stored = new Map(rowsOf<{ update_id: number | string; attempts: number; payload: TelegramUpdate; status: TelegramUpdateStatus }>(result).map((row) => [Number(row.update_id), row]))
  return updates.map((update, i) => {
    const row = first.get(update.update_id) === i ? stored.get(update.update_id) : undefined
    return row && { updateId: update.update_id, attempts: row.attempts, payload: row.payload, status: row.status }
  })
}

/**
 * The webhook's intake: updates arriving together (a payment burst, a channel post's replies) are
 * stored in one statement, each webhook still answered only after its row committed. One group
 * commit per database and starting state (leased for handling, or answered already).
 */
const intakeAs = (as: 'processing' | 'done') => groupCommitPer((db: DbOrTx) => new GroupCommit((updates: TelegramUpdate[]) => insertUpdates(db, updates, as), { maxBatch: MAX_BATCH, isolate: (error) => !infrastructureFailure(error) }))
const intake = { processing: intakeAs('processing'), done: intakeAs('done') }

const storeAs = (db: DbOrTx, update: TelegramUpdate, as: 'processing' | 'done') =>
  isTransaction(db) ? insertUpdates(db, [update], as).then((rows) => rows[0]) : intake[as](db).submit(update)

/**
 * Stores a new update leased to the caller (`status: 'processing'`); undefined for a repeated
 * `update_id`. A repeated payment (its charge recorded) comes back stored as `done`: nothing to run.
 */
export function storeAndClaimUpdate(db: DbOrTx, update: TelegramUpdate) {
  return storeAs(db, update, 'processing')
}

/** Stores an update answered already (a pre-checkout query answered in the webhook's response) as done, for the record and the dedupe; false for a repeated `update_id`. */
export async function storeHandledUpdate(db: DbOrTx, update: TelegramUpdate) {
  return Boolean(await storeAs(db, update, 'done'))
}

/**
 * Takes the lease on one update if nobody else holds it and it is due. The single UPDATE is the
 * lock: two deliveries, two workers or two replicas can never handle the same update at once.
 */
export async function claimUpdate(db: DbOrTx, updateId: number) {
  const now = sql`now()`
  const [row] = await db
    .update(telegramUpdates)
    .set({ status: 'processing', attempts: sql`${telegramUpdates.attempts} + 1`, lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(
      and(
        eq(telegramUpdates.updateId, updateId),
        or(
          and(eq(telegramUpdates.status, 'pending'), lte(telegramUpdates.nextAttemptAt, now)),
          and(eq(telegramUpdates.status, 'processing'), lt(telegramUpdates.lockedUntil, now)),
        ),
      ),
    )
    .returning()
  return row
}

async function markUpdatesDone(db: DbOrTx, updateIds: number[]) {
  await db.update(telegramUpdates).set({ status: 'done', lockedUntil: null, lastError: null, processedAt: sql`now()` }).where(inArray(telegramUpdates.updateId, updateIds))
  return updateIds.map(() => undefined)
}

/** Handled updates marked done together when they finish together (one statement for many). */
const doneMarks = groupCommitPer((db: DbOrTx) => new GroupCommit((updateIds: number[]) => markUpdatesDone(db, updateIds), { maxBatch: MAX_BATCH, isolate: (error) => !infrastructureFailure(error) }))

export async function markUpdateDone(db: DbOrTx, updateId: number) {
  if (isTransaction(db)) await markUpdatesDone(db, [updateId])
  else await doneMarks(db).submit(updateId)
}

/** Puts a failed update back for a later attempt with exponential backoff, or parks it after the last attempt. */
export async function markUpdateFailed(db: DbOrTx, updateId: number, attempts: number, error: unknown) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  const delaySeconds = Math.min(5 * 2 ** Math.max(0, attempts - 1), 3600)
  await db
    .update(telegramUpdates)
    .set({
      status: attempts >= MAX_UPDATE_ATTEMPTS ? 'failed' : 'pending',
      lockedUntil: null,
      lastError: message.slice(0, 2000),
      nextAttemptAt: sql`now() + make_interval(secs => ${delaySeconds})`,
    })
    .where(eq(telegramUpdates.updateId, updateId))
}

/** Updates that are due again: waiting for a retry, or held by a worker that died. */
export async function dueUpdateIds(db: DbOrTx, limit = 100): Promise<number[]> {
  const rows = await db
    .select({ updateId: telegramUpdates.updateId })
    .from(telegramUpdates)
    .where(
      or(
        and(eq(telegramUpdates.status, 'pending'), lte(telegramUpdates.nextAttemptAt, sql`now()`)),
        and(eq(telegramUpdates.status, 'processing'), lt(telegramUpdates.lockedUntil, sql`now()`)),
      ),
    )
    .orderBy(telegramUpdates.updateId)
    .limit(limit)
  return rows.map((row) => row.updateId)
}

export type UpdateOutcome = { status: 'done' } | { status: 'skipped' } | { status: 'failed'; error: unknown; attempts: number }

/**
 * Handles one stored update at most once at a time: claim the lease, run the handler, record the
 * outcome. `skipped` means another worker holds it, it is not due yet, or it is already done.
 */
export async function processStoredUpdate(db: DbOrTx, updateId: number, handle: (update: TelegramUpdate) => Promise<void>): Promise<UpdateOutcome> {
  const claimed = await claimUpdate(db, updateId)
  if (!claimed) return { status: 'skipped' }
  return runClaimedUpdate(db, claimed, handle)
}

/** Runs the handler on an update this worker holds the lease on, and records the outcome. */
export async function runClaimedUpdate(db: DbOrTx, claimed: Pick<StoredUpdate, 'updateId' | 'attempts' | 'payload'>, handle: (update: TelegramUpdate) => Promise<void>): Promise<UpdateOutcome> {
  try {
    await handle(claimed.payload as TelegramUpdate)
  } catch (error) {
    await markUpdateFailed(db, claimed.updateId, claimed.attempts, error)
    return { status: 'failed', error, attempts: claimed.attempts }
  }
  await markUpdateDone(db, claimed.updateId).catch((error: unknown) => {
    // Handled (a reply may have gone out) but the database went away: the mark is written when it
    // is back, so the update is not handled again when its lease runs out; the caller need not wait.
    if (!infrastructureFailure(error)) throw error
    void untilStored(() => markUpdateDone(db, claimed.updateId)).catch(() => {})
  })
  return { status: 'done' }
}

export async function getStoredUpdate(db: DbOrTx, updateId: number) {
  const [row] = await db.select().from(telegramUpdates).where(eq(telegramUpdates.updateId, updateId))
  return row
}

/**
 * Stored updates not done yet, per status, for every metrics scrape: counted through the partial
 * index on rows not done (`telegram_updates_retry_idx`), so a scrape reads the few rows in flight,
 * not every update the bot has ever received (the table only grows).
 */
export async function openUpdateCounts(db: DbOrTx) {
  const counts = await db
    .select({ status: telegramUpdates.status, n: sql<number>`count(*)::int` })
    .from(telegramUpdates)
    // The literal (not a parameter) lets every plan, a prepared statement's generic one too, prove the index's predicate.
    .where(sql`${telegramUpdates.status} <> 'done'`)
    .groupBy(telegramUpdates.status)
  const { pending, processing, failed } = byStatus(counts)
  return { pending, processing, failed }
}

/** `count(*)` rows grouped by status as one figure per status (0 for a status with no rows). */
function byStatus(counts: { status: TelegramUpdateStatus; n: number }[]) {
  const by = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Partial<Record<TelegramUpdateStatus, number>>
  return { pending: by.pending ?? 0, processing: by.processing ?? 0, failed: by.failed ?? 0, done: by.done ?? 0 }
}

/** Stored updates per status, and the newest that failed for good, for the system page. */
export async function updateHealth(db: DbOrTx, limit = 20) {
  const counts = await db.select({ status: telegramUpdates.status, n: sql<number>`count(*)::int` }).from(telegramUpdates).groupBy(telegramUpdates.status)
  const failed = await db
    .select({ updateId: telegramUpdates.updateId, kind: telegramUpdates.kind, attempts: telegramUpdates.attempts, error: telegramUpdates.lastError, at: telegramUpdates.updatedAt })
    .from(telegramUpdates)
    .where(eq(telegramUpdates.status, 'failed'))
    .orderBy(desc(telegramUpdates.updatedAt))
    .limit(limit)
  return { ...byStatus(counts), recentFailed: failed.map((f) => ({ ...f, at: f.at.toISOString() })) }
}

/** Puts a parked (failed) update back in line with fresh attempts; the sweep or a retry job handles it. Returns false when it is not parked. */
export async function requeueFailedUpdate(db: DbOrTx, updateId: number): Promise<boolean> {
  const rows = await db
    .update(telegramUpdates)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()`, lockedUntil: null })
    .where(and(eq(telegramUpdates.updateId, updateId), eq(telegramUpdates.status, 'failed')))
    .returning({ updateId: telegramUpdates.updateId })
  return rows.length > 0
}
