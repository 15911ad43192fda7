import { jobWorker } from './queue'
import type { JobDeps } from '../composition-root'
import { pruneAuthJob } from '../services/auth/jobs'
import { pruneAdminLogins } from '../services/auth/admin-login'
import { pruneRateLimits } from '../services/auth/rate-limit'
import { pruneIdempotencyKeys } from '../services/idempotency'

export const authWorkers = [
  jobWorker(pruneAuthJob, async (_data, { services }: JobDeps) => {
    await pruneRateLimits(services.db)
    await pruneAdminLogins(services.db)
    await pruneIdempotencyKeys(services.db)
  }),
]
