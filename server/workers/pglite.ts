import { parentPort, workerData } from 'node:worker_threads'
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite'
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'

/**
 * The embedded database's thread (see server/db/pglite-thread.ts): PGlite runs PostgreSQL compiled
 * to WebAssembly on the thread that calls it, and a statement's work (a burst of writes: ~1-4 ms
 * each) held every request of the app's event loop behind it. Here it runs on a thread of its own
 * and answers messages. Bundled by nuxt.config.ts into `.output/server/workers/pglite.mjs`; Node
 * runs this file itself (its types stripped) in tests.
 *
 * Plain JavaScript values only cross the thread's border: no functions (a query's parsers arrive as
 * the type ids whose text is kept as it is), and errors as their message and fields.
 */
export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; rowMode?: 'array' | 'object'; rawTypes?: number[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; listener: number }
  | { id: number; op: 'dump'; compression: 'gzip' | 'none' | 'auto' }
  | { id: number; op: 'reopen' }
  | { id: number; op: 'close' }

export type PgliteReply =
  | { id: number; result?: unknown; error?: SerializedError }
  | { notify: number; payload: string }
  | { ready: true }
  | { ready: false; error: SerializedError }

export interface SerializedError {
  message: string
  name: string
  fields: Record<string, string | number | boolean | null>
}

export interface PgliteThreadOptions {
  dataDir?: string
  /** A dump to start from (`dumpDataDir`'s bytes). */
  loadDataDir?: Uint8Array
  startParams: string[]
}

const port = parentPort!
const options = workerData as PgliteThreadOptions

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error', fields: {} }
  const fields: SerializedError['fields'] = {}
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value as string | number | boolean | null
  }
  return { message: error.message, name: error.name, fields }
}

const keepText = (value: string) => value
const parserSets = new Map<string, Record<number, (value: string) => string>>()
function parsersFor(types: number[] | undefined) {
  if (!types?.length) return undefined
  const key = types.join(',')
  let parsers = parserSets.get(key)
  if (!parsers) parserSets.set(key, (parsers = Object.fromEntries(types.map((type) => [type, keepText]))))
  return parsers
}

/** An open transaction: its statements run on `tx`; `finish` ends the callback PGlite waits on. */
interface OpenTransaction {
  tx: Transaction
  finish: (end: { id: number; commit: boolean }) => void
}

const open = (loadDataDir = options.loadDataDir) =>
  PGlite.create({ dataDir: options.dataDir, loadDataDir: loadDataDir && new Blob([loadDataDir as Uint8Array<ArrayBuffer>]), startParams: options.startParams, extensions: { btree_gist, pg_trgm } })

async function main() {
  let pglite: PGlite
  try {
    pglite = await open()
  } catch (error) {
    port.postMessage({ ready: false, error: serialize(error) } satisfies PgliteReply)
    return
  }
  const transactions = new Map<number, OpenTransaction>()
  const listeners = new Map<number, () => Promise<void>>()
  const reply = (id: number, result: unknown) => port.postMessage({ id, result } satisfies PgliteReply)
  const fail = (id: number, error: unknown) => port.postMessage({ id, error: serialize(error) } satisfies PgliteReply)
  const target = (tx: number | undefined) => {
    if (tx === undefined) return pglite
    const open = transactions.get(tx)
    if (!open) throw new Error(`transaction ${tx} is not open`)
    return open.tx
  }

  const handle = async (request: PgliteRequest) => {
    switch (request.op) {
      case 'query':
        return target(request.tx).query(request.sql, request.params, { rowMode: request.rowMode, parsers: parsersFor(request.rawTypes) })
      case 'exec':
        return target(request.tx).exec(request.sql)
      case 'listen': {
        const listener = request.id
        // PGlite calls this during the statement whose commit sent the NOTIFY, so the main thread
        // gets the notification before that statement's answer (messages keep their order).
        listeners.set(listener, await pglite.listen(request.channel, (payload) => port.postMessage({ notify: listener, payload } satisfies PgliteReply)))
        return listener
      }
      case 'unlisten':
        await listeners.get(request.listener)?.()
        listeners.delete(request.listener)
        return null
      case 'dump': {
        const file = await pglite.dumpDataDir(request.compression)
        return { name: file instanceof File ? file.name : 'pgdata.tar.gz', type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) }
      }
      case 'reopen':
        // The same data dir on a fresh instance (see openPglite's first start): the closed one's
        // memory goes back at the next full collection, made now when node runs with --expose-gc.
        if (transactions.size || listeners.size) throw new Error('cannot reopen with a transaction or a LISTEN open')
        await pglite.close()
        pglite = undefined as unknown as PGlite
        ;(globalThis as { gc?: () => void }).gc?.()
        pglite = await open(undefined)
        ;(globalThis as { gc?: () => void }).gc?.()
        return null
      case 'close':
        if (!pglite.closed) await pglite.close()
        return null
      default:
        throw new Error(`unknown operation ${(request as { op: string }).op}`)
    }
  }

  port.on('message', (request: PgliteRequest) => {
    if (request.op === 'begin') {
      // The transaction is open (PGlite holds every other statement) until its `end` arrives; the
      // callback's return commits, its throw rolls back. `end` is answered once that is done.
      let ended: { id: number; commit: boolean } | undefined
      pglite
        .transaction(async (tx) => {
          const end = await new Promise<{ id: number; commit: boolean }>((finish) => {
            transactions.set(request.id, { tx, finish })
            reply(request.id, request.id)
          })
          ended = end
          transactions.delete(request.id)
          if (!end.commit) throw new RolledBack()
        })
        .then(
          () => ended && reply(ended.id, null),
          (error: unknown) => {
            transactions.delete(request.id)
            if (!ended) fail(request.id, error)
            else if (error instanceof RolledBack) reply(ended.id, null)
            else fail(ended.id, error)
          },
        )
      return
    }
    if (request.op === 'end') {
      const open = transactions.get(request.tx)
      if (open) open.finish({ id: request.id, commit: request.commit })
      else fail(request.id, new Error(`transaction ${request.tx} is not open`))
      return
    }
    handle(request).then(
      (result) => reply(request.id, result as Results | null),
      (error: unknown) => fail(request.id, error),
    )
  })
  port.postMessage({ ready: true } satisfies PgliteReply)
}

class RolledBack extends Error {}

void main()
