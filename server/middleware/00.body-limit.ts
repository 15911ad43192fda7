import { enforceBodyLimit } from '../utils/body-limit'

/**
 * First middleware (the name sorts it before the others): every request body is counted and cut
 * at its route's limit before any guard or handler reads it (server/utils/body-limit.ts).
 */
export default defineEventHandler(async (event) => {
  await enforceBodyLimit(event)
})
