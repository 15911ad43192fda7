import { sendJson } from '#server/utils/hot-answers'

const ALIVE = Buffer.from(JSON.stringify({ status: 'ok' }))
const always = () => true

/**
 * Liveness: the process answers. Says nothing about the database on purpose (that is /api/ready).
 *
 * Kept as a hot answer (server/utils/hot-answers.ts) marked as a probe: after the first, the entry
 * writes it as soon as it is read. h3 would end it from a later `setImmediate`, and the other hot
 * answers are written at the end of the turn: both behind every other request read in that turn
 * (under a 500-connection flood, tens of milliseconds).
 */
export default defineEventHandler((event) => {
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return sendJson(event, ALIVE, always, { probe: true })
})
