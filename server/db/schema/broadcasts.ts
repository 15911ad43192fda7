import { sql } from 'drizzle-orm'
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import { users } from './auth'
import type { BroadcastButton, BroadcastSegment, BroadcastStatus, RecipientState } from '../../../shared/schemas/broadcasts'
import type { Locale } from '../../../shared/locale'

/**
 * A message to customers who opted in to news, through the bot. Its content is frozen once it is
 * scheduled; `preview_hash` is the content the author last received as a preview (sending needs
 * it to equal the current content).
 */
export const broadcasts = pgTable(
  'broadcasts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    status: text('status').$type<BroadcastStatus>().notNull().default('draft'),
    /** Telegram HTML per locale; a locale missing here gets the other one. */
    text: jsonb('text').$type<Partial<Record<Locale, string>>>().notNull(),
    photoUrl: text('photo_url'),
    button: jsonb('button').$type<BroadcastButton | null>(),
    segment: jsonb('segment').$type<BroadcastSegment>().notNull(),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    /** Hash of the content last previewed in the author's chat, and when. */
    previewHash: text('preview_hash'),
    previewSentAt: timestamp('preview_sent_at', { withTimezone: true, mode: 'date' }),
    /** Signs the tracked links of the button (one per recipient). */
    clickSecret: text('click_secret').notNull(),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true, mode: 'date' }),
    /** The pg-boss job that starts it at `scheduled_at` (cancelled with the broadcast). */
    startJobId: text('start_job_id'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    /** Telegram answered 429: nobody is written to before this time. */
    pausedUntil: timestamp('paused_until', { withTimezone: true, mode: 'date' }),
    /** A worker holds the sending until then; another may take over after a crash. */
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    /** Recipients when it started (the audience is fixed then). */
    total: integer('total').notNull().default(0),
    /** Every press of the button (unique people: recipients with `clicked_at`). */
    clicks: integer('clicks').notNull().default(0),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    index('broadcasts_status_idx').on(t.status, t.id),
    check('broadcasts_status_check', sql`${t.status} in ('draft', 'scheduled', 'sending', 'sent', 'cancelled')`),
  ],
)

/** One customer of one broadcast: the per-recipient state that makes sending resumable and never double. */
export const broadcastRecipients = pgTable(
  'broadcast_recipients',
  {
    broadcastId: integer('broadcast_id')
      .notNull()
      .references(() => broadcasts.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    locale: text('locale').$type<Locale>().notNull(),
    state: text('state').$type<RecipientState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    messageId: integer('message_id'),
    error: text('error'),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    clickedAt: timestamp('clicked_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'broadcast_recipients_pk', columns: [t.broadcastId, t.userId] }),
    index('broadcast_recipients_state_idx').on(t.broadcastId, t.state, t.userId),
    index('broadcast_recipients_user_idx').on(t.userId),
    check('broadcast_recipients_state_check', sql`${t.state} in ('pending', 'sending', 'sent', 'failed', 'blocked', 'unknown')`),
  ],
)
