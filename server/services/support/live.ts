import type { Database, DbOrTx, ListenFn } from '../../db/client'
import { ReadModelRegistry } from '../../db/read-model'
import type { Logger } from '../../utils/logger'

/** The NOTIFY channel the support tables' triggers speak on (migration `support_notify`); the payload is the conversation id. */
export const SUPPORT_CHANNEL = 'support_changed'

/** Changes are gathered this long and sent as one event (an intake burst is one event, not hundreds). */
const BATCH_MS = 100

/** What a live screen hears: conversations that changed (a message, a delivery state, status, assignment). */
export interface SupportChange {
  /** Counts up per process; a reconnecting screen re-reads (another replica counts its own). */
  seq: number
  conversationIds: number[]
}

/**
 * Live support for /admin: the triggers on `support_conversations` and `support_messages` NOTIFY
 * at commit, every replica LISTENs (PGlite: in-process), and this fans the change out to the
 * screens connected to this replica over Server-Sent Events. A change is a hint to re-read, never
 * data: a screen that missed some (reconnecting, or the LISTEN reconnected) re-reads everything.
 */
export class SupportLive {
  private readonly subscribers = new Set<(change: SupportChange) => void>()
  private readonly closers = new Map<(change: SupportChange) => void, () => void>()
  private pending = new Set<number>()
  private timer?: ReturnType<typeof setTimeout>
  private seq = 0
  listening = false
  /** Bumped when the LISTEN reconnected: screens are told to re-read everything. */
  epoch = 0

  get connected() {
    return this.subscribers.size
  }

  /** `onClose` runs when the process shuts down, so open streams end instead of holding it up. */
  subscribe(handler: (change: SupportChange) => void, onClose: () => void = () => {}): () => void {
    this.subscribers.add(handler)
    this.closers.set(handler, onClose)
    return () => {
      this.subscribers.delete(handler)
      this.closers.delete(handler)
    }
  }

  /** A NOTIFY (or this replica's own write) said this conversation changed. */
  changed(conversationId: number) {
    if (!this.subscribers.size) return
    this.pending.add(conversationId)
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS)
  }

  /** Everything may have changed (the LISTEN was down for a moment): -1 means "re-read all". */
  resync() {
    this.epoch++
    this.changed(-1)
  }

  private flush() {
    this.timer = undefined
    const change: SupportChange = { seq: ++this.seq, conversationIds: [...this.pending] }
    this.pending = new Set()
    for (const handler of [...this.subscribers]) handler(change)
  }

  close() {
    clearTimeout(this.timer)
    const closers = [...this.closers.values()]
    this.subscribers.clear()
    this.closers.clear()
    this.listening = false
    for (const close of closers) close()
  }
}

const hubs = new ReadModelRegistry<SupportLive>()

/** The live hub of the app's database (undefined in a transaction, a test's database, or before the LISTEN is in place). */
export function supportLiveOf(db: DbOrTx): SupportLive | undefined {
  const hub = hubs.of(db)
  return hub?.listening ? hub : undefined
}

/** Starts the hub for the app's database: LISTEN on the support channel, fan out to connected screens. */
export async function startSupportLive(db: Database, listen: ListenFn, logger: Logger): Promise<SupportLive> {
  const hub = new SupportLive()
  hubs.attach(db, hub)
  await listen(
    SUPPORT_CHANNEL,
    (payload) => {
      const id = Number(payload)
      if (Number.isSafeInteger(id)) hub.changed(id)
    },
    () => {
      if (hub.listening) {
        logger.info('support LISTEN reconnected: live screens re-read')
        hub.resync()
      }
      hub.listening = true
    },
  )
  return hub
}
