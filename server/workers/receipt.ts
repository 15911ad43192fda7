import { parentPort, workerData } from 'node:worker_threads'
import { renderReceiptPdf, setReceiptFontReader, type ReceiptData } from '../services/account/receipt-pdf'

/**
 * The receipt thread (see server/services/account/receipt-thread.ts): renders each receipt it is
 * sent and hands the PDF's bytes back without a copy. Bundled by nuxt.config.ts into
 * `.output/server/workers/receipt.mjs`.
 */
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
