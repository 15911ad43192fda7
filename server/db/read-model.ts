import type { DbOrTx } from './client'

/**
 * Process-local read models (the catalog, users' roles) hang off the database object they were
 * started for; a transaction or a database opened elsewhere (a test's, a CLI's) has none, and its
 * reads go to SQL as before.
 */
export class ReadModelRegistry<Model> {
  private readonly models = new WeakMap<object, Model>()
  attach(db: DbOrTx, model: Model) {
    this.models.set(db, model)
  }

  detach(db: DbOrTx) {
    this.models.delete(db)
  }

  of(db: DbOrTx): Model | undefined {
    return this.models.get(db)
  }
}

/**
 * A value loaded from the database and kept until a NOTIFY says it changed, or `ttlMs` passed (a
 * backstop should a notification be lost). A notification during a load makes the next read load
 * again, so no read that starts after a NOTIFY arrived is answered with data from before it.
 */
export class NotifiedValue<T> {
  private value?: T
  private loadedAt = 0
  private loadedGeneration = -1
  private generation = 0
  private loading?: { generation: number; promise: Promise<T> }
  listening = false

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  /** Something changed: the next read loads again. */
  invalidate() {
    this.generation++
  }

  /** The value a read would get now without loading, or undefined (stale, expired, not loaded, not listening). */
  current(): T | undefined {
    return this.listening && this.loadedGeneration === this.generation && performance.now() - this.loadedAt < this.ttlMs ? this.value : undefined
  }

  /** The current value, or undefined while the LISTEN is not in place (the caller reads SQL then). */
  async get(): Promise<T | undefined> {
    if (!this.listening) return undefined
    const current = this.current()
    if (current !== undefined) return current
    if (this.loading?.generation === this.generation) return this.loading.promise
    const generation = this.generation
    const startedAt = performance.now()
    const promise = this.load().then(
      (value) => {
        if (this.loading?.promise === promise) this.loading = undefined
        // A newer load (after another NOTIFY) may have finished first: keep the newest.
        if (generation >= this.loadedGeneration) {
          this.value = value
          this.loadedGeneration = generation
          this.loadedAt = startedAt
        }
        return value
      },
      (error: unknown) => {
        if (this.loading?.promise === promise) this.loading = undefined
        throw error
      },
    )
    this.loading = { generation, promise }
    return promise
  }
}
