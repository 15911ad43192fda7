import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { rowsOf } from '../../db/results'
import { bookingReminderJob } from './jobs'

/**
 * Tests only (see server/api/sandbox/clock): the booking's reminder jobs still waiting for their
 * time are made due now, so the queue works them exactly as it would then (the same claim, the
 * same message). Returns how many.
 */
export async function bringRemindersForward(db: DbOrTx, bookingId: number) {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`update pgboss.job set start_after = now() where name = ${bookingReminderJob.name} and state in ('created', 'retry') and (data->>'bookingId')::int = ${bookingId} returning id`),
  )
  return rows.length
}
