import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { renderReceiptPdf, setReceiptFontReader, type ReceiptData } from '../services/account/receipt-pdf'

/**
 * The receipt thread (see server/services/account/receipt-thread.ts): renders each receipt it is
 * sent and hands the PDF's bytes back without a copy. Bundled by nuxt.config.ts into
 * `.output/server/workers/receipt.mjs`.
 *
 * Receipts can wait; payers cannot. On a small server the receipts of a payment burst (~10 ms of
 * CPU each) are made while the same burst's webhooks, pre-checkouts and the database want the
 * cores, so this thread runs at a lower scheduling priority than the rest of the process: it gets
 * what they leave, which on an idle server is all of it. Linux schedules threads one by one, so
 * the nice value is set on this thread alone (its id read from /proc/thread-self); elsewhere, or
 * where it is not allowed, the thread runs at the process's priority as before.
 */
const RECEIPT_THREAD_NICE = 10
try {
  if (process.platform === 'linux') setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), RECEIPT_THREAD_NICE)
} catch {
  // Not permitted (a sandbox without /proc): the receipts still come, at normal priority.
}

const fonts = (workerData as { fonts: Record<string, Uint8Array> }).fonts
setReceiptFontReader(async (name) => fonts[name])

parentPort!.on('message', async ({ id, data }: { id: number; data: ReceiptData }) => {
  try {
    const bytes = await renderReceiptPdf(data)
    parentPort!.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer])
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
