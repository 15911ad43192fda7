/**
 * Users and their roles as every replica keeps them in memory: the customer and staff guards read
 * them on every request. A trigger NOTIFYs `user_changed` with the Telegram id at the commit of any
 * change to a user row or their roles (drizzle/0014_change_notify.sql); every replica LISTENs and
 * forgets that user, so a removed role stops working everywhere at once. Entries also expire after
 * a TTL (the backstop should a notification be lost), and a reconnect of the LISTEN drops them all.
 */
import type { Database, DbOrTx, ListenFn } from '../../db/client'
import { ReadModelRegistry } from '../../db/read-model'
import type { Logger } from '../../utils/logger'

export const USER_CHANNEL = 'user_changed'
const USERS_KEPT = 20_000

export class UserCache<T> {
  private readonly entries = new Map<number, { value: T; at: number }>()
  /** Bumped by every notification: a read that overlapped one is answered but not kept. */
  private epoch = 0
  listening = false

  /** `ttlMs`, the backstop: an entry older than this is read again even without a notification. */
  constructor(private readonly ttlMs: number) {}

  forget(telegramId: number) {
    this.epoch++
    this.entries.delete(telegramId)
  }

  clear() {
    this.epoch++
    this.entries.clear()
  }

  async get(telegramId: number, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = performance.now()
    const entry = this.entries.get(telegramId)
    if (entry && now - entry.at < this.ttlMs) return entry.value
    const epoch = this.epoch
    const value = await load()
    if (value !== undefined && this.listening && epoch === this.epoch) {
      this.entries.delete(telegramId)
      if (this.entries.size >= USERS_KEPT) this.entries.delete(this.entries.keys().next().value!)
      this.entries.set(telegramId, { value, at: now })
    }
    return value
  }
}

const caches = new ReadModelRegistry<UserCache<unknown>>()

/** The user cache of `db` (undefined inside a transaction, and before the LISTEN is in place). */
export function userCacheOf<T>(db: DbOrTx): UserCache<T> | undefined {
  const cache = caches.of(db) as UserCache<T> | undefined
  return cache?.listening ? cache : undefined
}

/** This replica changed a user: forget them now rather than when the NOTIFY arrives. */
export function userChangedHere(db: DbOrTx, telegramId?: number) {
  const cache = caches.of(db)
  if (telegramId === undefined) cache?.clear()
  else cache?.forget(telegramId)
}

/** Starts the cache for the app's database: LISTEN first, then the guards read from memory. */
export async function startUserCache(db: Database, listen: ListenFn, logger: Logger, ttlMs: number): Promise<void> {
  const cache = new UserCache<unknown>(ttlMs)
  caches.attach(db, cache)
  await listen(
    USER_CHANNEL,
    (payload) => {
      const id = Number(payload)
      if (Number.isSafeInteger(id)) cache.forget(id)
      else cache.clear()
    },
    () => {
      if (cache.listening) logger.info('user LISTEN reconnected: forgetting cached users')
      cache.clear()
      cache.listening = true
    },
  )
}
