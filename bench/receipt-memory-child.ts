/**
 * Child process of the `receipts` bench (bench/receipts.ts), started with `npm start`'s node flags
 * and variables: makes `count` receipts one at a time, as the receipt job does, on the built
 * server's worker thread (`thread`) or on this thread (`main`), and prints the RSS over its start
 * (after a forced gc) after the first receipt, after all, and 1 s after the thread was stopped.
 */
import { resolve } from 'node:path'
import { renderReceipt, renderReceiptsOn, stopReceiptThread } from '../server/services/account/receipt-thread'
import { receipt } from '../tests/helpers/receipt'

const [mode = 'thread', countArg = '200'] = process.argv.slice(2)
const count = Number(countArg)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const settledRssMb = async () => {
  await sleep(300)
  globalThis.gc?.()
  return process.memoryUsage().rss / 1048576
}
// Receipts that differ in their number, line and charge, as a shop's do.
const numbered = (i: number) => receipt({ locale: i % 2 ? 'ru' : 'en', number: `A-${1000 + i}`, issuedAt: new Date(), items: [{ name: `Эфиопия Иргачеффе, 250 г #${i}`, quantity: 2, unitPriceMinor: 89000, totalMinor: 178000 }], payments: [{ at: new Date(), amountMinor: 178000, chargeId: `tg_${i}` }] })

renderReceiptsOn(mode === 'thread' ? resolve(import.meta.dirname, '../.output/server/workers/receipt.mjs') : null)
const start = await settledRssMb()
const started = performance.now()
await renderReceipt(numbered(0))
const afterOne = (await settledRssMb()) - start
for (let i = 1; i < count; i++) await renderReceipt(numbered(i))
const msEach = (performance.now() - started) / count
const afterAll = (await settledRssMb()) - start
stopReceiptThread()
await sleep(1000)
const afterStop = (await settledRssMb()) - start
console.log(JSON.stringify({ mode, count, msEach, afterOne, afterAll, afterStop, heapMb: process.memoryUsage().heapUsed / 1048576 }))
