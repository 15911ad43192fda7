import { extractText, getDocumentProxy } from 'unpdf'
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { renderReceiptPdf } from '../../../../server/services/account/receipt-pdf'
import { renderReceipt, renderReceiptsOn, stopReceiptThread } from '../../../../server/services/account/receipt-thread'
import { receipt } from '../../../helpers/receipt'

const textOf = async (bytes: Uint8Array) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text.replace(/\s+/g, ' ')

describe('receipt PDF', () => {
  // The parsed fonts are shared between receipts: each must still carry exactly its own glyphs.
  it('renders receipts one after another, each with its own text, whatever the earlier ones held', async () => {
    const ru = receipt({})
    const en = receipt({ locale: 'en', number: 'B-2002', legal: { ...ru.legal, legalName: 'Zerno LLC', address: 'Pokrovka 12, Moscow' }, items: [{ name: 'Quixotic jazz waffle', quantity: 1, unitPriceMinor: 25000, totalMinor: 25000 }], itemsTotalMinor: 25000, totalMinor: 25000, delivery: 'pickup', paymentMethod: 'card in Telegram' })
    const [first, second, third] = [await renderReceiptPdf(ru), await renderReceiptPdf(en), await renderReceiptPdf(ru)]
    const [a, b, c] = await Promise.all([textOf(first), textOf(second), textOf(third)])
    expect(a).toContain('Кассовый чек · Заказ A-1001')
    expect(a).toContain('Эфиопия Иргачеффе, 250 г')
    expect(b).toContain('Receipt · Order B-2002')
    expect(b).toContain('Quixotic jazz waffle')
    expect(b).not.toContain('Иргачеффе')
    expect(c).toBe(a)
    // A subset font: a receipt stays small however many receipts came before it.
    expect(third.byteLength).toBeLessThan(40_000)
    expect(Math.abs(third.byteLength - first.byteLength)).toBeLessThan(64)
    // Several at once (receipt jobs run side by side): the same texts.
    const together = await Promise.all([ru, en, ru, en].map((r) => renderReceiptPdf(r).then(textOf)))
    expect(together).toEqual([a, b, a, b])
  })
})

describe('receipts on a worker thread (the built server)', () => {
  // Built as nuxt.config.ts builds it for .output; under node_modules so that its packages resolve.
  const dir = resolve(import.meta.dirname, '../../../../node_modules/.cache/receipt-thread-test')
  const worker = resolve(dir, 'receipt.mjs')
  afterAll(() => renderReceiptsOn(null))

  it('makes the same receipts as this thread, several at once, and starts again after the thread stops', async () => {
    await build({ entryPoints: [resolve(import.meta.dirname, '../../../../server/workers/receipt.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outdir: dir, outExtension: { '.js': '.mjs' }, logLevel: 'warning' })
    const ru = receipt({})
    const en = receipt({ locale: 'en', number: 'B-2002', legal: { ...ru.legal, legalName: 'Zerno LLC' }, delivery: 'pickup', paymentMethod: 'card in Telegram' })
    const [here, hereEn] = [await textOf(await renderReceiptPdf(ru)), await textOf(await renderReceiptPdf(en))]

    renderReceiptsOn(worker)
    const made = await Promise.all([ru, en, ru].map((r) => renderReceipt(r)))
    expect(await Promise.all(made.map(textOf))).toEqual([here, hereEn, here])

    // Stopped while a receipt is being made (a crash, a shutdown): that receipt fails, so its job is retried ...
    const cut = renderReceipt(ru)
    await new Promise((r) => setImmediate(r))
    stopReceiptThread()
    await expect(cut).rejects.toThrow(/receipt thread stopped/)
    // ... and the next receipt starts a new thread.
    expect(await textOf(await renderReceipt(en))).toBe(hereEn)
  })

  it('fails a receipt, rather than waiting for ever, when the thread cannot start', async () => {
    mkdirSync(dir, { recursive: true })
    writeFileSync(resolve(dir, 'broken.mjs'), 'throw new Error("no pdf-lib here")\n')
    renderReceiptsOn(resolve(dir, 'broken.mjs'))
    await expect(renderReceipt(receipt({}))).rejects.toThrow(/no pdf-lib here/)
    renderReceiptsOn(worker)
    expect(await textOf(await renderReceipt(receipt({})))).toContain('Кассовый чек · Заказ A-1001')
  })
})
