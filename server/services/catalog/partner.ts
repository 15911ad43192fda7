/**
 * Stock and prices as a partner sets them through the REST API (server/services/partner-api): by
 * SKU (our product's slug), all or nothing inside the caller's write; each stock change is a
 * `stock.changed` integration event.
 */
import { eq, inArray } from 'drizzle-orm'
import { products } from '../../db/schema/catalog'
import { DomainError } from '../../utils/errors'
import type { WriteContext } from '../context'
import { emitIntegrationEvent } from '../integrations/outbox'

async function productsBySku(w: WriteContext, skus: readonly string[]) {
  const unique = [...new Set(skus)]
  const rows = await w.db.select().from(products).where(inArray(products.slug, unique)).for('update')
  const bySku = new Map(rows.map((r) => [r.slug, r]))
  const unknown = unique.filter((s) => !bySku.has(s))
  if (unknown.length) throw new DomainError('validation_failed', `Unknown SKU: ${unknown.slice(0, 10).join(', ')}`, 400, unknown.slice(0, 50).map((sku) => ({ path: 'items.sku', message: `no product with SKU "${sku}"` })))
  return bySku
}

export async function setStockBySku(w: WriteContext, items: readonly { sku: string; stock: number }[]) {
  const bySku = await productsBySku(w, items.map((i) => i.sku))
  const changes = []
  for (const item of items) {
    const product = bySku.get(item.sku)!
    const changed = product.stock !== item.stock
    if (changed) {
      await w.db.update(products).set({ stock: item.stock }).where(eq(products.id, product.id))
      await emitIntegrationEvent(w, { type: 'stock.changed', aggregateType: 'product', aggregateId: product.id, payload: { productId: product.id, slug: product.slug, from: product.stock, to: item.stock, source: 'api' } })
    }
    changes.push({ sku: item.sku, from: product.stock, to: item.stock, changed })
    product.stock = item.stock
  }
  return changes
}

export async function setPricesBySku(w: WriteContext, items: readonly { sku: string; priceMinor: number }[]) {
  const bySku = await productsBySku(w, items.map((i) => i.sku))
  const changes = []
  for (const item of items) {
    const product = bySku.get(item.sku)!
    const changed = product.priceMinor !== item.priceMinor
    if (changed) await w.db.update(products).set({ priceMinor: item.priceMinor }).where(eq(products.id, product.id))
    changes.push({ sku: item.sku, currency: product.currency, from: product.priceMinor, to: item.priceMinor, changed })
    product.priceMinor = item.priceMinor
  }
  return changes
}
