import { z } from 'zod'
import { text } from './common'

/** `POST /api/admin/system/jobs/retry`: a failed job, by its queue and id. */
export const RetryJobSchema = z.object({
  queue: text().regex(/^[a-z][a-z0-9._-]{0,99}$/, 'not a queue name'),
  id: z.uuid(),
})
export type RetryJobInput = z.infer<typeof RetryJobSchema>

/** `POST /api/admin/system/updates/{updateId}/replay`. */
export const UpdateReplayParamsSchema = z.object({
  updateId: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
})

export interface QueueHealth {
  name: string
  queued: number
  active: number
  deferred: number
  failed: number
}

export interface FailedJob {
  id: string
  queue: string
  error: string | null
  failedAt: string | null
  attempts: number
}

export interface FailedUpdate {
  updateId: number
  kind: string
  attempts: number
  error: string | null
  at: string
}

export interface BackupState {
  at: string
  ok: boolean
  file?: string
  bytes?: number
  error?: string
  lastSuccessAt?: string
}

/** `GET /api/admin/system`: what someone running the app looks at first. */
export interface SystemOverview {
  version: string
  startedAt: string
  uptimeSeconds: number
  engine: 'pglite' | 'postgres'
  migrations: { applied: number; shipped: number; last: string | null; pending: number }
  queues: QueueHealth[]
  failedJobs: FailedJob[]
  updates: { pending: number; processing: number; failed: number; done: number; recentFailed: FailedUpdate[] }
  telegram: {
    mode: 'sandbox' | 'webhook' | 'polling'
    /** Polling mode: whether this replica holds the polling leader lock. */
    pollingHere: boolean | null
    webhook: { url: string; pendingUpdateCount: number; lastErrorDate: string | null; lastErrorMessage: string | null } | null
    /** Why Telegram could not be asked (network, token). */
    error: string | null
  }
  backup: { status: BackupState | null; schedule: string | null; folder: string; retention: { daily: number; weekly: number } }
}
