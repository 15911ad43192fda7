import { createEventStream } from 'h3'
import { can } from '#shared/permissions'
import { getRoles } from '#server/services/auth/users'
import { supportLiveOf } from '#server/services/support/live'

/** A heartbeat this often keeps proxies from closing a quiet stream and tells the screen it is still connected. */
const HEARTBEAT_MS = 15_000
/** Streams one replica holds at most (each is an open connection; the screens fall back to re-reading when refused). */
const MAX_STREAMS = 500

/**
 * Server-Sent Events for the support screens in /admin: `change` with the ids of conversations
 * that changed (from any replica, through PostgreSQL LISTEN/NOTIFY), `ping` every 15 s. Events
 * are hints to re-read, not data; every connection starts with `ready`, and `resync: true` there
 * (a reconnect with Last-Event-ID) means something may have been missed: re-read everything.
 */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  const hub = supportLiveOf(ctx.db)
  if (!hub) throw apiError('not_ready', 'Live updates are not available on this replica right now; re-read instead')
  if (hub.connected >= MAX_STREAMS) throw apiError('rate_limited', 'Too many live screens on this replica; re-read instead')
  const operatorId = ctx.actor.userId!
  const reconnected = getRequestHeader(event, 'last-event-id') !== undefined
  const stream = createEventStream(event)
  const push = (message: { id?: string; event: string; data: string; retry?: number }) => void stream.push(message).catch(() => {})
  const unsubscribe = hub.subscribe(
    (change) => push({ id: `${hub.epoch}-${change.seq}`, event: 'change', data: JSON.stringify({ ids: change.conversationIds }) }),
    () => void stream.close(),
  )
  // Someone whose support role was taken away stops hearing about conversations at the next heartbeat.
  const heartbeat = setInterval(async () => {
    const roles = await getRoles(ctx.db, operatorId).catch(() => null)
    if (roles && !can(roles, 'support.reply')) return void stream.close()
    push({ event: 'ping', data: String(Date.now()) })
  }, HEARTBEAT_MS)
  stream.onClosed(() => {
    clearInterval(heartbeat)
    unsubscribe()
  })
  push({ id: `${hub.epoch}-0`, event: 'ready', retry: 3000, data: JSON.stringify({ resync: reconnected }) })
  return stream.send()
})
