import { extractText, getDocumentProxy } from 'unpdf'
import { describe, expect, it } from 'vitest'
import { renderReceiptPdf, type ReceiptData } from '../../../../server/services/account/receipt-pdf'

const receipt = (overrides: Partial<ReceiptData>): ReceiptData => ({
  locale: 'ru',
  number: 'A-1001',
  issuedAt: new Date('2026-11-30T09:15:00Z'),
  legal: { legalName: 'ООО «Зерно»', taxId: '7701234567', address: 'Москва, ул. Покровка, 12', taxNote: 'НДС не облагается', receiptFooter: 'Спасибо!' },
  currency: 'RUB',
  items: [{ name: 'Эфиопия Иргачеффе, 250 г', quantity: 2, unitPriceMinor: 89000, totalMinor: 178000 }],
  itemsTotalMinor: 178000,
  deliveryMinor: 0,
  discountMinor: 0,
  totalMinor: 178000,
  delivery: 'самовывоз',
  paymentMethod: 'банковская карта в Telegram',
  payments: [{ at: new Date('2026-11-30T09:15:00Z'), amountMinor: 178000, chargeId: 'tg_1' }],
  refunds: [],
  ...overrides,
})

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
