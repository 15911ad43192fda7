import { settledWithin } from '../utils/infrastructure'

/**
 * Group commit for one kind of small, independent write (a webhook's update stored, an update
 * marked done): a call made while the statement for earlier calls is in flight waits, and every
 * call waiting goes in the next statement. Alone, a call is sent at once (no timer, nothing added
 * to its latency); under a burst one statement - one round trip, one commit - serves up to
 * `maxBatch` calls. Each call resolves only after the statement that carried it committed.
 *
 * A statement that fails for a reason of its own rows (not the database's: `isolate` says which)
 * is sent again one call at a time, so one bad row fails only its own caller.
 *
 * A statement still unanswered after `patienceMs` stops holding the calls behind it: they go in a
 * new statement while it carries on (its own calls still wait for it). Without this, one statement
 * stuck on a dead connection (seen after a PostgreSQL crash and restart) held every later call for
 * as long as it hung, while every other query of the process went through: the group commit must
 * never be worse than a statement per call.
 */
export class GroupCommit<In, Out> {
  private waiting: { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = []
  private running = false

  constructor(
    private readonly send: (inputs: In[]) => Promise<Out[]>,
    private readonly options: { maxBatch: number; isolate: (error: unknown) => boolean; patienceMs?: number },
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject })
      if (!this.running) void this.drain()
    })
  }

  private async drain() {
    this.running = true
    try {
      while (this.waiting.length) {
        // flush() never rejects: a rejection here is only the patience running out.
        await settledWithin(this.flush(this.waiting.splice(0, this.options.maxBatch)), this.options.patienceMs ?? DEFAULT_PATIENCE_MS, () => new Error('statement still in flight')).catch(() => {})
      }
    } finally {
      this.running = false
    }
  }

  private async flush(batch: GroupCommit<In, Out>['waiting']) {
    try {
      const outs = await this.send(batch.map((call) => call.input))
      batch.forEach((call, i) => call.resolve(outs[i]!))
    } catch (error) {
      if (batch.length === 1 || !this.options.isolate(error)) return void batch.forEach((call) => call.reject(error))
      for (const call of batch) await this.flush([call])
    }
  }
}

/** Far above a healthy statement's time (milliseconds, a burst's batch included), far below a caller's deadline. */
const DEFAULT_PATIENCE_MS = 2000

/** A transaction's statements must go on its own connection, in its order: no group commit inside one. */
export const isTransaction = (db: object) => 'rollback' in db

/** Group commits that hang off a database object (one per database the process has open). */
export function groupCommitPer<Db extends object, In, Out>(create: (db: Db) => GroupCommit<In, Out>) {
  const instances = new WeakMap<Db, GroupCommit<In, Out>>()
  return (db: Db) => {
    let instance = instances.get(db)
    if (!instance) instances.set(db, (instance = create(db)))
    return instance
  }
}
