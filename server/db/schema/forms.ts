import { sql } from 'drizzle-orm'
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps, type LocalizedText } from './_columns'
import { users } from './auth'
import type { FormAudience, FormDefinition, SubmissionStatus } from '../../../shared/schemas/forms'

/**
 * A form as /admin edits it. `definition` is the next version being edited; publishing copies it
 * into `form_versions` and bumps `published_version`, which is what the Mini App shows.
 */
export const forms = pgTable(
  'forms',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<Partial<LocalizedText>>(),
    audience: text('audience').$type<FormAudience>().notNull(),
    destination: text('destination').$type<'none' | 'operators'>().notNull().default('operators'),
    definition: jsonb('definition').$type<FormDefinition>().notNull(),
    /** Null until first published; a form with no published version cannot be opened. */
    publishedVersion: integer('published_version'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('forms_slug_idx').on(t.slug),
    check('forms_audience_check', sql`${t.audience} in ('anyone', 'customers', 'staff')`),
    check('forms_destination_check', sql`${t.destination} in ('none', 'operators')`),
  ],
)

/** Every published definition, kept forever: a submission keeps the version it was filled with. */
export const formVersions = pgTable(
  'form_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    formId: integer('form_id')
      .notNull()
      .references(() => forms.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    definition: jsonb('definition').$type<FormDefinition>().notNull(),
    publishedBy: bigint('published_by', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('form_versions_form_version_idx').on(t.formId, t.version)],
)

/**
 * One draft per user and form, saved as the user types (debounced). `revision` grows with each
 * save; a save based on an older revision (another device saved meanwhile) is refused, so two
 * devices never overwrite each other silently.
 */
export const formDrafts = pgTable(
  'form_drafts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    formId: integer('form_id')
      .notNull()
      .references(() => forms.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    values: jsonb('values').$type<Record<string, unknown>>().notNull(),
    step: integer('step').notNull().default(0),
    revision: integer('revision').notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex('form_drafts_user_form_idx').on(t.userId, t.formId), check('form_drafts_revision_check', sql`${t.revision} > 0`)],
)

/** What was sent: stored first, then operators are told by a queued job. */
export const formSubmissions = pgTable(
  'form_submissions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    formId: integer('form_id')
      .notNull()
      .references(() => forms.id, { onDelete: 'restrict' }),
    formVersionId: integer('form_version_id')
      .notNull()
      .references(() => formVersions.id, { onDelete: 'restrict' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'restrict' }),
    /** The sender held a staff role: a field report. */
    byStaff: boolean('by_staff').notNull().default(false),
    values: jsonb('values').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<SubmissionStatus>().notNull().default('new'),
    assigneeId: bigint('assignee_id', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    /** Client-chosen key: the offline outbox resends with it, and a resend finds this row instead of adding one. */
    idempotencyKey: text('idempotency_key').notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('form_submissions_idempotency_idx').on(t.userId, t.idempotencyKey),
    index('form_submissions_form_idx').on(t.formId, t.createdAt),
    index('form_submissions_user_idx').on(t.userId, t.createdAt),
    index('form_submissions_status_idx').on(t.status, t.createdAt),
    check('form_submissions_status_check', sql`${t.status} in ('new', 'in_work', 'done')`),
  ],
)
