import { setFlagsFromString } from 'node:v8'
import { Worker } from 'node:worker_threads'
import type { QueryOptions, Results } from '@electric-sql/pglite'
import type { PgliteReply, PgliteRequest, PgliteThreadOptions, SerializedError } from '../workers/pglite'

/** What drizzle, pg-boss and the app use of a transaction's client. */
export interface PgliteTransactionClient {
  readonly closed: boolean
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>
  exec(sql: string): Promise<Results[]>
}

/** What drizzle, pg-boss and the app use of PGlite: a PGlite instance is one, and so is its thread. */
export interface PgliteClient extends PgliteTransactionClient {
  transaction<T>(callback: (tx: PgliteTransactionClient) => Promise<T>): Promise<T>
  /** PGlite delivers a NOTIFY once the statement whose commit sent it returns (before its answer). */
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>
  dumpDataDir(compression?: 'gzip' | 'none' | 'auto'): Promise<File | Blob>
  close(): Promise<void>
}

type Waiting = { resolve: (value: never) => void; reject: (error: Error) => void }
type Request = PgliteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

/**
 * PGlite on a worker thread (server/workers/pglite.ts). Its PostgreSQL is WebAssembly that runs on
 * the thread that calls it: on the app's thread, every statement held every request behind it
 * (during a burst of writes, stalls of up to ~0.8 s: bench/README.md). Here a statement is a message
 * to the database's thread and its answer a message back; the app's thread goes on serving
 * meanwhile. The contract is PGlite's own (one session; a transaction holds every other statement
 * until it ends), so drizzle and pg-boss run on it unchanged.
 *
 * If the thread dies (it should not: PGlite's own errors are answers), every statement waiting on it
 * and every later one fails with the reason; `/api/ready` then fails and the orchestrator restarts
 * the app.
 */
class PgliteThread implements PgliteClient {
  private nextId = 0
  private readonly waiting = new Map<number, Waiting>()
  private readonly listeners = new Map<number, (payload: string) => void>()
  private stopped: Error | null = null
  closed = false

  constructor(private readonly worker: Worker) {
    worker.unref()
    worker.on('message', (message: PgliteReply) => this.receive(message))
    worker.on('error', (error) => this.stop(error))
    worker.on('exit', (code) => this.stop(new Error(`the database thread stopped (exit code ${code})`)))
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions, tx?: number): Promise<Results<T>> {
    let rawTypes: number[] | undefined
    try {
      rawTypes = keptTypes(options)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.call({ op: 'query', sql, params, rowMode: options?.rowMode, rawTypes, tx })
  }

  exec(sql: string): Promise<Results[]> {
    return this.call({ op: 'exec', sql })
  }

  async transaction<T>(callback: (tx: PgliteTransactionClient) => Promise<T>): Promise<T> {
    const tx = await this.call<number>({ op: 'begin' })
    let closed = false
    const client: PgliteTransactionClient = {
      get closed() {
        return closed
      },
      query: (sql, params, options) => this.query(sql, params, options, tx),
      exec: (sql) => this.call({ op: 'exec', sql, tx }),
    }
    let result: T
    try {
      result = await callback(client)
    } catch (error) {
      closed = true
      await this.call({ op: 'end', tx, commit: false }).catch(() => {})
      throw error
    }
    closed = true
    await this.call({ op: 'end', tx, commit: true })
    return result
  }

  async listen(channel: string, callback: (payload: string) => void) {
    const listener = ++this.nextId
    this.listeners.set(listener, callback)
    try {
      await this.call({ op: 'listen', channel }, listener)
    } catch (error) {
      this.listeners.delete(listener)
      throw error
    }
    return async () => {
      this.listeners.delete(listener)
      await this.call({ op: 'unlisten', listener })
    }
  }

  async dumpDataDir(compression: 'gzip' | 'none' | 'auto' = 'auto') {
    const { name, type, bytes } = await this.call<{ name: string; type: string; bytes: Uint8Array<ArrayBuffer> }>({ op: 'dump', compression })
    return new File([bytes], name, { type })
  }

  /** Closes PGlite and opens the same data dir again on this thread (a first start's cleanup: see openPglite). */
  async reopen() {
    await this.call({ op: 'reopen' })
  }

  async close() {
    if (this.closed) return
    this.closed = true
    await this.call({ op: 'close' }).catch(() => {})
    // Later statements fail as they do on a closed PGlite (infrastructureFailure knows the words).
    this.stop(new Error('PGlite is closed'))
    await this.worker.terminate()
  }

  private call<T>(request: Request, id = ++this.nextId): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped)
    return new Promise<T>((resolve, reject) => {
      // A statement waiting on the thread keeps the process alive; an idle thread does not.
      if (!this.waiting.size) this.worker.ref()
      this.waiting.set(id, { resolve: resolve as (value: never) => void, reject })
      try {
        this.worker.postMessage({ ...request, id })
      } catch (error) {
        // A parameter that cannot be copied to the thread (a function, a class instance).
        this.waiting.delete(id)
        if (!this.waiting.size) this.worker.unref()
        reject(error as Error)
      }
    })
  }

  private receive(message: PgliteReply) {
    if ('notify' in message) return this.listeners.get(message.notify)?.(message.payload)
    if ('ready' in message) return
    const waiting = this.waiting.get(message.id)
    this.waiting.delete(message.id)
    if (!this.waiting.size) this.worker.unref()
    if (message.error) waiting?.reject(revive(message.error))
    else waiting?.resolve(message.result as never)
  }

  private stop(reason: Error) {
    this.stopped ??= reason
    this.closed = true
    for (const waiting of this.waiting.values()) waiting.reject(reason)
    this.waiting.clear()
  }
}

/**
 * A query's parsers cannot cross to the thread (they are functions): the thread keeps the text of
 * the types named, which is all drizzle asks (timestamps, dates and intervals as PostgreSQL writes
 * them). Any other parser is refused rather than silently not run.
 */
function keptTypes(options: QueryOptions | undefined) {
  if (!options?.parsers) return undefined
  const types = Object.keys(options.parsers).map(Number)
  for (const type of types) {
    if (options.parsers[type]!('2026-01-01') !== '2026-01-01') throw new Error(`the database thread keeps a type's text as it is; type ${type} has a parser that changes it`)
  }
  return types
}

/** The thread's error as the Error PGlite would have thrown here: message, name and fields (`code`, `constraint`, ...). */
function revive({ message, name, fields }: SerializedError) {
  const error = Object.assign(new Error(message), fields)
  error.name = name
  return error
}

/**
 * The database thread's young generation: its objects are statements' answers on their way out.
 * RSS at ready on a first start (bench startup): 318 MB uncapped, 292 MB at 8, 287 MB at 4.
 */
const YOUNG_GENERATION_MB = 4

/** Starts PGlite on a thread from `file` (the built `workers/pglite.mjs`, or the source in tests). */
export async function startPgliteThread(file: string | URL, options: PgliteThreadOptions): Promise<PgliteClient & { reopen(): Promise<void> }> {
  // The app's start command caps V8's young generation at 16 MB semi-spaces for its own thread
  // (package.json, Dockerfile); the flag is the process's, so every thread's heap would get it and
  // this thread's grew to it (~30 MB of RSS) for answers that live a moment. V8 reads it when a
  // thread's heap is made and prefers it to `resourceLimits`: lifted for this thread's start only.
  const capped = process.execArgv.findLast((arg) => arg.startsWith('--max-semi-space-size'))
  if (capped) setFlagsFromString('--max-semi-space-size=0')
  const worker = new Worker(file, { workerData: options, name: 'pglite', resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } })
  if (capped) worker.once('online', () => setFlagsFromString(capped))
  const first = await new Promise<PgliteReply>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the database thread stopped while starting (exit code ${code})`)))
  })
  if ('ready' in first && first.ready) return new PgliteThread(worker)
  await worker.terminate()
  throw 'error' in first && first.error ? revive(first.error) : new Error('the database thread did not start')
}
