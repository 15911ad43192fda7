import { databaseLooksDown } from '../utils/database-breaker'

/** Liveness, readiness and metrics answer while the database is down (they say so themselves). */
const ALWAYS = new Set(['/api/health', '/api/ready', '/metrics'])

/** While the database is known to be down, API requests answer 503 at once instead of hanging (server/utils/database-breaker.ts). */
export default defineEventHandler((event) => {
  if (!databaseLooksDown()) return
  const path = event.path.split('?')[0]!
  if (!path.startsWith('/api/') || ALWAYS.has(path)) return
  throw apiError('database_unavailable', 'The database does not answer right now; nothing was saved. Please try again shortly.')
})
