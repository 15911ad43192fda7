import { z } from 'zod'
import { defineJob } from './queue'
import type { JobDeps } from './deps'
import { pruneAdminLogins } from '../services/auth/admin-login'
import { pruneRateLimits } from '../services/auth/rate-limit'
import { pruneIdempotencyKeys } from '../services/idempotency'

/** Housekeeping for sign-in: ended rate-limit windows, old sign-in links and dead /admin sessions (and expired Idempotency-Keys). */
export const pruneAuthJob = defineJob({
  name: 'auth.prune',
  schema: z.object({}),
  cron: '*/10 * * * *',
  queue: { retryLimit: 0, deadLetter: false },
  async handle(_data, { services }: JobDeps) {
    await pruneRateLimits(services.db)
    await pruneAdminLogins(services.db)
    await pruneIdempotencyKeys(services.db)
  },
})
