import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib'
import { formatMoney } from '#shared/money'
import type { Locale } from '#shared/locale'
import type { LegalDetails } from '#shared/schemas/account'

/** Reads a font file by name (`DejaVuSans.ttf`); the built server reads Nitro's server assets, tests and scripts the repo folder. */
export type FontReader = (name: string) => Promise<Uint8Array | Buffer | null | undefined>

let fontReader: FontReader = (name) => readFile(resolve(import.meta.dirname, '../../assets/fonts', name)).catch(() => undefined)
const fontCache = new Map<string, Uint8Array>()

/** The composition root points receipts at the bundled fonts (server/assets/fonts). */
export function setReceiptFontReader(reader: FontReader) {
  fontReader = reader
  fontCache.clear()
}

/** The fonts a receipt embeds (server/assets/fonts). */
export const RECEIPT_FONTS = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const

/** A font's bytes, read once per process. */
export async function fontBytes(name: string) {
  const cached = fontCache.get(name)
  if (cached) return cached
  const bytes = await fontReader(name)
  if (!bytes) throw new Error(`receipt font ${name} is missing (server/assets/fonts)`)
  const copy = new Uint8Array(bytes)
  fontCache.set(name, copy)
  return copy
}

/**
 * fontkit as pdf-lib sees it, parsing each font file once per process instead of twice per receipt
 * (that parse was two thirds of a receipt's CPU). A parsed font keeps one thing per document: its
 * glyph objects, which remember the characters they were first made for, and pdf-lib writes those
 * into the receipt's text layer (ToUnicode). So every receipt starts with an empty glyph cache,
 * exactly as with a freshly parsed font; the decoded tables (cmap, GSUB/GPOS, glyf) are shared.
 * Receipts are therefore rendered one at a time (`renderReceiptPdf` queues them): one receipt's
 * serialisation must not fill the glyph cache another is laying out text with. Rendering is all
 * CPU on this thread, so the queue costs no throughput. tests/server/services/account/
 * receipt-pdf.test.ts renders receipts in turn and at once, and reads each back.
 */
const parsedFonts = new WeakMap<Uint8Array, ReturnType<typeof fontkit.create>>()
const sharedFontkit: typeof fontkit = {
  ...fontkit,
  create(bytes: Uint8Array, postscriptName?: string) {
    if (postscriptName !== undefined) return fontkit.create(bytes, postscriptName)
    let font = parsedFonts.get(bytes)
    if (!font) parsedFonts.set(bytes, (font = fontkit.create(bytes)))
    ;(font as unknown as { _glyphs: unknown[] })._glyphs = []
    return font
  },
}

export interface ReceiptData {
  locale: Locale
  number: string
  issuedAt: Date
  legal: LegalDetails
  currency: string
  items: { name: string; quantity: number; unitPriceMinor: number; totalMinor: number }[]
  itemsTotalMinor: number
  deliveryMinor: number
  discountMinor: number
  totalMinor: number
  delivery: string
  paymentMethod: string
  payments: { at: Date; amountMinor: number; chargeId: string }[]
  refunds: { at: Date; amountMinor: number; reason: string }[]
}

const TEXT = {
  ru: { title: 'Кассовый чек', order: 'Заказ', date: 'Дата', seller: 'Продавец', taxId: 'ИНН', item: 'Наименование', qty: 'Кол-во', price: 'Цена', sum: 'Сумма', items: 'Товары', delivery: 'Доставка', discount: 'Скидка', total: 'Итого', taxes: 'Налоги', payment: 'Оплата', paid: 'Оплачено', refund: 'Возврат' },
  en: { title: 'Receipt', order: 'Order', date: 'Date', seller: 'Seller', taxId: 'Tax number', item: 'Item', qty: 'Qty', price: 'Price', sum: 'Amount', items: 'Items', delivery: 'Delivery', discount: 'Discount', total: 'Total', taxes: 'Taxes', payment: 'Payment', paid: 'Paid', refund: 'Refund' },
} as const

/** Money as printed: ordinary spaces (some viewers drop narrow ones) and "Stars" for ⭐. */
const money = (minor: number, currency: string, locale: Locale) => formatMoney(minor, currency, locale).replace(/[\u202f\u00a0]/g, ' ').replace('⭐', 'Stars')

/** Built once per language: making a formatter costs more than the rest of a receipt's dates together. */
const DATE_FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  ru: new Intl.DateTimeFormat('ru-RU', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Moscow' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Moscow' }),
}

const dateText = (d: Date, locale: Locale) => DATE_FORMATS[locale].format(d).replace(/[\u202f\u00a0]/g, ' ')

/** Splits text into lines that fit `width` at `size`. */
function wrap(text: string, font: PDFFont, size: number, width: number) {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line)
      line = word
    } else line = next
  }
  if (line) lines.push(line)
  return lines
}

/**
 * The receipt of a paid order as a PDF (A5, Cyrillic through an embedded DejaVu Sans subset, so
 * its text can be searched and copied): the business's legal details, the lines, delivery, the
 * taxes line, the payment and any refunds.
 */
export function renderReceiptPdf(data: ReceiptData): Promise<Uint8Array> {
  const rendered = renderingTurn.then(() => render(data))
  renderingTurn = rendered.catch(() => undefined)
  return rendered
}

let renderingTurn: Promise<unknown> = Promise.resolve()

async function render(data: ReceiptData): Promise<Uint8Array> {
  const t = TEXT[data.locale]
  const pdf = await PDFDocument.create()
  pdf.registerFontkit(sharedFontkit)
  const [regularFont, boldFont] = RECEIPT_FONTS
  const regular = await pdf.embedFont(await fontBytes(regularFont), { subset: true })
  const bold = await pdf.embedFont(await fontBytes(boldFont), { subset: true })
  pdf.setTitle(`${t.title} ${data.number}`)
  pdf.setAuthor(data.legal.legalName)
  pdf.setCreationDate(data.issuedAt)
  const [width, height] = [420, 595]
  const margin = 32
  let page: PDFPage = pdf.addPage([width, height])
  let y = height - margin
  const ensure = (space: number) => {
    if (y - space < margin) {
      page = pdf.addPage([width, height])
      y = height - margin
    }
  }
  const line = (text: string, options: { size?: number; font?: PDFFont; x?: number; right?: boolean } = {}) => {
    const size = options.size ?? 9
    const font = options.font ?? regular
    const x = options.right ? width - margin - font.widthOfTextAtSize(text, size) : (options.x ?? margin)
    page.drawText(text, { x, y, size, font, color: rgb(0.1, 0.1, 0.1) })
  }
  const row = (left: string, right: string, font: PDFFont = regular, size = 9) => {
    ensure(14)
    line(left, { font, size })
    line(right, { font, size, right: true })
    y -= size + 5
  }
  const rule = () => {
    page.drawLine({ start: { x: margin, y: y + 4 }, end: { x: width - margin, y: y + 4 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) })
    y -= 8
  }

  line(`${t.title} · ${t.order} ${data.number}`, { size: 14, font: bold })
  y -= 20
  line(`${t.date}: ${dateText(data.issuedAt, data.locale)}`)
  y -= 16
  for (const text of [`${t.seller}: ${data.legal.legalName}`, `${t.taxId}: ${data.legal.taxId}`, data.legal.address]) {
    for (const part of wrap(text, regular, 9, width - 2 * margin)) {
      line(part)
      y -= 13
    }
  }
  y -= 6
  rule()
  row(t.item, `${t.qty} × ${t.price} = ${t.sum}`, bold, 8)
  for (const item of data.items) {
    const amounts = `${item.quantity} × ${money(item.unitPriceMinor, data.currency, data.locale)} = ${money(item.totalMinor, data.currency, data.locale)}`
    const room = width - 2 * margin - regular.widthOfTextAtSize(amounts, 9) - 12
    const nameLines = wrap(item.name, regular, 9, room)
    row(nameLines[0] ?? '', amounts)
    for (const rest of nameLines.slice(1)) row(rest, '')
  }
  rule()
  row(t.items, money(data.itemsTotalMinor, data.currency, data.locale))
  row(`${t.delivery}: ${data.delivery}`, money(data.deliveryMinor, data.currency, data.locale))
  if (data.discountMinor) row(t.discount, `−${money(data.discountMinor, data.currency, data.locale)}`)
  row(t.total, money(data.totalMinor, data.currency, data.locale), bold, 11)
  if (data.legal.taxNote) row(t.taxes, data.legal.taxNote)
  y -= 4
  rule()
  row(t.payment, data.paymentMethod)
  for (const p of data.payments) row(`${t.paid} ${dateText(p.at, data.locale)}`, money(p.amountMinor, data.currency, data.locale))
  for (const p of data.payments) row(p.chargeId.slice(0, 60), '', regular, 7)
  for (const r of data.refunds) row(`${t.refund} ${dateText(r.at, data.locale)}: ${r.reason}`.slice(0, 70), `−${money(r.amountMinor, data.currency, data.locale)}`)
  if (data.legal.receiptFooter) {
    y -= 10
    for (const part of wrap(data.legal.receiptFooter, regular, 8, width - 2 * margin)) {
      ensure(12)
      line(part, { size: 8 })
      y -= 11
    }
  }
  return pdf.save()
}
