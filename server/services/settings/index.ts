import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { appSettings } from '../../db/schema/settings'

export async function getSetting<T>(db: DbOrTx, key: string): Promise<T | undefined> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key))
  return row?.value as T | undefined
}

export async function setSetting(db: DbOrTx, key: string, value: unknown) {
  await db.insert(appSettings).values({ key, value }).onConflictDoUpdate({ target: appSettings.key, set: { value } })
}

/**
 * Returns the stored value, creating it with `create()` the first time. Concurrent first starts
 * (several replicas) all end up with the one value that won the insert.
 */
export async function ensureSetting<T>(db: DbOrTx, key: string, create: () => T): Promise<T> {
  await db.insert(appSettings).values({ key, value: create() }).onConflictDoNothing({ target: appSettings.key })
  return (await getSetting<T>(db, key)) as T
}

/** The IANA time zone the business keeps its days in (its profile; Moscow until one is set). */
export async function businessTimezone(db: DbOrTx): Promise<string> {
  return (await getSetting<{ timezone?: string }>(db, 'business.profile'))?.timezone ?? 'Europe/Moscow'
}
