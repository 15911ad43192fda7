import type { ReceiptData } from '../../server/services/account/receipt-pdf'

/** A paid order's receipt as issueReceipt builds it (one line, a card payment in Telegram), with `overrides`. */
export const receipt = (overrides: Partial<ReceiptData>): ReceiptData => ({
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
