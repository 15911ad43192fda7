import { Worker } from 'node:worker_threads'
import { RECEIPT_FONTS, fontBytes, renderReceiptPdf, type ReceiptData } from './receipt-pdf'

/**
 * Receipts off the event loop. A receipt is 15-20 ms of CPU (layout, font subsetting, deflate) in
 * one piece, and the receipts of a payment burst are made while webhooks and pre-checkouts wait
 * behind them. In the built server they are made on a worker thread (server/workers/receipt.ts,
 * bundled to `.output/server/workers/receipt.mjs`); the composition root points here at that file.
 * Without one (`nuxt dev`, vitest) they are made on this thread, as before.
 *
 * The thread starts with the first receipt and stops after a minute without one, so an idle server
 * does not keep its memory. If it dies, the receipts it was making fail (their job is retried) and
 * the next receipt starts a new one.
 */
const IDLE_MS = 60_000

type Reply = { id: number; bytes?: Uint8Array; error?: string }
type Pending = { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }
type Thread = { worker: Worker; pending: Map<number, Pending> }

let workerFile: string | null = null
let thread: Promise<Thread> | null = null
let idleTimer: NodeJS.Timeout | null = null
let nextId = 0

/** Makes receipts on a worker thread loaded from `file`; null makes them on this thread. */
export function renderReceiptsOn(file: string | null) {
  workerFile = file
  stopReceiptThread()
}

/** The receipt of a paid order as a PDF (see receipt-pdf.ts), made off the event loop when it can be. */
export async function renderReceipt(data: ReceiptData): Promise<Uint8Array> {
  if (!workerFile) return renderReceiptPdf(data)
  const starting = (thread ??= startThread(workerFile))
  starting.catch(() => thread === starting && (thread = null))
  const { worker, pending } = await starting
  if (idleTimer) clearTimeout(idleTimer)
  idleTimer = null
  const id = ++nextId
  return new Promise<Uint8Array>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    worker.ref()
    worker.postMessage({ id, data })
  })
}

/** Stops the thread (receipts being made on it fail); the next receipt starts a new one. */
export function stopReceiptThread() {
  const stopping = thread
  thread = null
  if (idleTimer) clearTimeout(idleTimer)
  idleTimer = null
  if (stopping) void stopping.then(({ worker }) => worker.terminate()).catch(() => {})
}

async function startThread(file: string): Promise<Thread> {
  // The fonts ship inside the server bundle (Nitro's server assets), which the thread cannot read.
  const fonts = Object.fromEntries(await Promise.all(RECEIPT_FONTS.map(async (name) => [name, await fontBytes(name)])))
  const worker = new Worker(file, { workerData: { fonts }, name: 'receipts' })
  const self: Thread = { worker, pending: new Map() }
  const mine = thread
  worker.unref()
  worker.on('message', ({ id, bytes, error }: Reply) => {
    const waiting = self.pending.get(id)
    self.pending.delete(id)
    if (bytes) waiting?.resolve(bytes)
    else waiting?.reject(new Error(error ?? 'the receipt thread answered nothing'))
    if (self.pending.size) return
    // Nothing waits for the thread now: it may not keep the process alive, and it goes when idle.
    worker.unref()
    if (thread === mine) idleTimer = setTimeout(stopReceiptThread, IDLE_MS).unref()
  })
  const fail = (error: Error) => {
    if (thread === mine) thread = null
    for (const waiting of self.pending.values()) waiting.reject(error)
    self.pending.clear()
  }
  worker.on('error', fail)
  worker.on('exit', (code) => fail(new Error(`the receipt thread stopped (exit code ${code})`)))
  return self
}
