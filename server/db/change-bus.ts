import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import type { DatabaseHandle } from './client'
import type { Logger } from '../utils/logger'

/** The one PostgreSQL channel the app's replicas talk on; the topic travels in the payload. */
const CHANNEL = 'tma_changes'

export type ChangeTopic = 'page-cache'

/**
 * Tells every replica that something they cache changed, through PostgreSQL LISTEN/NOTIFY: no
 * Redis, no second broker. A publisher's own handlers run at once, in-process (they never wait on
 * the round trip); the other replicas hear it within milliseconds. A notification is a hint to
 * drop a cache, never data: one missed while a replica reconnects costs at most the cache's age.
 * On PGlite there is one process, so publishing only runs the local handlers.
 */
export interface ChangeBus {
  publish(topic: ChangeTopic): Promise<void>
  subscribe(topic: ChangeTopic, handler: () => unknown): void
  close(): Promise<void>
}

export function createChangeBus(database: DatabaseHandle, logger: Logger): ChangeBus {
  const handlers = new Map<ChangeTopic, Set<() => unknown>>()
  const origin = randomUUID()
  const run = async (topic: ChangeTopic) => {
    for (const handler of handlers.get(topic) ?? []) {
      try {
        await handler()
      } catch (error) {
        logger.warn('change handler failed', { topic, error })
      }
    }
  }
  // postgres.js keeps a dedicated connection for LISTEN and re-subscribes after a reconnect.
  const client = database.kind === 'postgres' ? postgres(database.url!, { max: 1, onnotice: () => {}, connection: { application_name: 'tma-platform-changes' } }) : undefined
  const listening = client?.listen(CHANNEL, (payload) => {
    const [from, topic] = payload.split(' ')
    if (from !== origin && topic) void run(topic as ChangeTopic)
  })
  listening?.catch((error) => logger.error('cannot listen for changes from other replicas', { error }))
  return {
    async publish(topic) {
      await run(topic)
      if (client) await client`select pg_notify(${CHANNEL}, ${`${origin} ${topic}`})`.catch((error) => logger.warn('cannot tell other replicas about a change', { topic, error }))
    },
    subscribe(topic, handler) {
      handlers.set(topic, (handlers.get(topic) ?? new Set()).add(handler))
    },
    async close() {
      await client?.end({ timeout: 2 })
    },
  }
}
