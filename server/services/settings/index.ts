import { eq } from 'drizzle-orm'
import type { Database, DbOrTx, ListenFn } from '../../db/client'
import { NotifiedValue, ReadModelRegistry } from '../../db/read-model'
import { appSettings } from '../../db/schema/settings'
import type { Logger } from '../../utils/logger'
import type { WriteContext } from '../context'

/**
 * Settings as every replica keeps them in memory: the business profile is on every public page,
 * the support hours on every customer message, the payment and delivery switches on every
 * checkout, and they change a few times a month. A trigger NOTIFYs `settings_changed` at the commit
 * of any change (drizzle/0025_settings_notify.sql); every replica LISTENs and reads them all again
 * on its next read, with the read-model TTL as the backstop. Inside a transaction (and before the
 * LISTEN is in place) reads go to SQL, so a write sees its own changes.
 */
export const SETTINGS_CHANNEL = 'settings_changed'

const models = new ReadModelRegistry<NotifiedValue<Map<string, unknown>>>()

export async function getSetting<T>(db: DbOrTx, key: string): Promise<T | undefined> {
  const all = await models.of(db)?.get()
  if (all) return all.get(key) as T | undefined
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key))
  return row?.value as T | undefined
}

/**
 * Stores a setting. Written on the app's database (not in a transaction), this replica reads it
 * again at once; inside a module's write, `storeSetting` does so after the commit.
 */
export async function setSetting(db: DbOrTx, key: string, value: unknown) {
  await db.insert(appSettings).values({ key, value }).onConflictDoUpdate({ target: appSettings.key, set: { value } })
  settingsChangedHere(db)
}

/** Stores a setting as part of the caller's change; this replica reads the settings again once it commits. */
export async function storeSetting(w: WriteContext, key: string, value: unknown) {
  await setSetting(w.db, key, value)
  w.afterCommit(() => settingsChangedHere(w.root))
}

/** This replica changed a setting (committed): read them again now rather than when the NOTIFY arrives. */
function settingsChangedHere(db: DbOrTx) {
  models.of(db)?.invalidate()
}

/**
 * Returns the stored value, creating it with `create()` the first time. Concurrent first starts
 * (several replicas) all end up with the one value that won the insert.
 */
export async function ensureSetting<T>(db: DbOrTx, key: string, create: () => T): Promise<T> {
  await db.insert(appSettings).values({ key, value: create() }).onConflictDoNothing({ target: appSettings.key })
  settingsChangedHere(db)
  return (await getSetting<T>(db, key)) as T
}

/** The IANA time zone the business keeps its days in (its profile; Moscow until one is set). */
export async function businessTimezone(db: DbOrTx): Promise<string> {
  return (await getSetting<{ timezone?: string }>(db, 'business.profile'))?.timezone ?? 'Europe/Moscow'
}

/** Starts the settings read model for the app's database: LISTEN first, then reads come from memory. */
export async function startSettingsReadModel(db: Database, listen: ListenFn, logger: Logger, ttlMs: number): Promise<void> {
  const model = new NotifiedValue(async () => new Map((await db.select({ key: appSettings.key, value: appSettings.value }).from(appSettings)).map((row) => [row.key, row.value])), ttlMs)
  models.attach(db, model)
  await listen(
    SETTINGS_CHANNEL,
    () => model.invalidate(),
    () => {
      if (model.listening) logger.info('settings LISTEN reconnected: reading the settings again')
      model.invalidate()
      model.listening = true
    },
  )
}
