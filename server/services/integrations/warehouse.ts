/**
 * Stock from the warehouse partner (MoySklad). Its stock counts what is on the shelves; ours is
 * what customers may still buy, so orders placed here and not yet handed over are subtracted.
 * The first import is only ever applied by a person from its dry-run diff; after that the
 * schedule and the partner's webhook apply changes by themselves. A report that breaks the
 * contract is quarantined whole: nothing of it is applied.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { and, desc, eq } from 'drizzle-orm'
import { integrationInbound } from '../../db/schema/integrations'
import type { DbOrTx } from '../../db/client'
import { ContractDriftError, PartnerRejectedError, contractIssues } from '../../integrations/http'
import { fetchCurrentStock, fetchExternalCodes, type MoySkladSettings } from '../../integrations/moysklad'
import { WebhookPayloadSchema } from '../../integrations/moysklad/contract'
import { DomainError } from '../../utils/errors'
import { containsUnstorableText } from '#shared/schemas/common'
import { productsBySlugs, setStock } from '../catalog/stock'
import { reservedQuantities } from '../orders'
import { write, type ServiceContext } from '../context'
import { markConnectorDegraded, recordHealth } from './delivery'
import { warehouseStockSyncJob } from './jobs'
import { emitIntegrationEvent } from './outbox'

export interface StockChange {
  productId: number
  slug: string
  name: string
  from: number
  to: number
  warehouse: number
  reserved: number
}

export interface StockDiff {
  changes: StockChange[]
  unchanged: number
  /** Items the warehouse has that match none of our products (no externalCode = our slug). */
  unmatched: number
  firstImport: boolean
}

function moysklad(ctx: ServiceContext): MoySkladSettings {
  const settings = ctx.config.integrations.moysklad
  if (!settings) throw new DomainError('integration_not_configured', 'The warehouse (MoySklad) is not configured: set MOYSKLAD_TOKEN', 409)
  return settings
}

async function firstImportDone(db: DbOrTx) {
  const [row] = await db.select({ id: integrationInbound.id }).from(integrationInbound).where(and(eq(integrationInbound.connector, 'warehouse'), eq(integrationInbound.kind, 'stock-sync'), eq(integrationInbound.status, 'applied'))).limit(1)
  return Boolean(row)
}

/** Quarantines a partner payload that broke its contract and marks the connector degraded (one alert). */
async function quarantine(ctx: ServiceContext, kind: string, error: ContractDriftError) {
  await write(ctx, async (w) => {
    await w.db.insert(integrationInbound).values({ connector: 'warehouse', kind, status: 'quarantined', raw: error.raw, issues: error.issues })
    await markConnectorDegraded(w, 'warehouse', error.message)
  })
}

/** Reads the warehouse and compares it with our stock; changes nothing. */
export async function previewStockSync(ctx: ServiceContext): Promise<StockDiff> {
  const settings = moysklad(ctx)
  let stock, codes
  const started = performance.now()
  try {
    ;[stock, codes] = await Promise.all([fetchCurrentStock(settings), fetchExternalCodes(settings)])
    await recordHealth(ctx.db, 'warehouse', true, Math.round(performance.now() - started))
  } catch (error) {
    await recordHealth(ctx.db, 'warehouse', false)
    if (error instanceof ContractDriftError) {
      await quarantine(ctx, 'stock-sync', error)
      throw new DomainError('partner_contract_changed', error.message, 424, { issues: error.issues })
    }
    if (error instanceof PartnerRejectedError) throw new DomainError('partner_unavailable', `${error.message}: check MOYSKLAD_TOKEN`, 424)
    throw new DomainError('partner_unavailable', (error as Error).message, 424)
  }
  const bySlug = new Map<string, number>()
  let unmatched = 0
  for (const row of stock) {
    const slug = codes.get(row.assortmentId)
    if (!slug) {
      unmatched++
      continue
    }
    bySlug.set(slug, (bySlug.get(slug) ?? 0) + Math.max(0, Math.floor(row.stock)))
  }
  const ours = await productsBySlugs(ctx.db, [...bySlug.keys()])
  unmatched += bySlug.size - ours.length
  const reserved = await reservedQuantities(ctx.db, ours.map((p) => p.id))
  const changes: StockChange[] = []
  for (const product of ours) {
    const warehouse = bySlug.get(product.slug)!
    const held = reserved.get(product.id) ?? 0
    const to = Math.max(0, warehouse - held)
    if (to !== product.stock) changes.push({ productId: product.id, slug: product.slug, name: product.name.ru, from: product.stock, to, warehouse, reserved: held })
  }
  return { changes, unchanged: ours.length - changes.length, unmatched, firstImport: !(await firstImportDone(ctx.db)) }
}

/**
 * Applies the warehouse's stock: every change in one transaction (all or nothing), each a
 * `stock.changed` event, the sync recorded (and audited when a person applied it). Scheduled runs
 * do nothing until a person applied the first import.
 */
export async function applyStockSync(ctx: ServiceContext): Promise<StockDiff & { applied: boolean }> {
  const diff = await previewStockSync(ctx)
  const byPerson = ctx.actor.kind === 'staff'
  if (diff.firstImport && !byPerson) return { ...diff, applied: false }
  await write(ctx, async (w) => {
    for (const change of diff.changes) {
      // Recomputed under the row lock: an order placed since the preview took stock already.
      const moved = await setStock(w.db, change.productId, change.to)
      if (!moved) continue
      await emitIntegrationEvent(w, { type: 'stock.changed', aggregateType: 'product', aggregateId: change.productId, payload: { productId: change.productId, slug: change.slug, from: moved.before, to: moved.after, source: 'warehouse' } })
    }
    const summary = { changes: diff.changes.length, unchanged: diff.unchanged, unmatched: diff.unmatched }
    await w.db.insert(integrationInbound).values({ connector: 'warehouse', kind: 'stock-sync', status: 'applied', summary })
    if (byPerson) await w.audit({ action: 'integration.stock-sync', entityType: 'integration', entityId: 'warehouse', after: { ...summary, firstImport: diff.firstImport, products: diff.changes.map((c) => ({ slug: c.slug, from: c.from, to: c.to })) } })
  })
  return { ...diff, applied: true }
}

/**
 * MoySklad's webhook: stored, checked by its contract, and answered at once; the stock is then
 * pulled by a queued job (bursts of webhooks collapse into one pull). A payload outside the
 * contract is quarantined and staff are warned; MoySklad still gets its 2xx (it would only repeat it).
 */
export async function receiveWarehouseWebhook(ctx: ServiceContext, raw: unknown) {
  // PostgreSQL cannot store NUL or lone surrogates in jsonb: such a body is no MoySklad payload.
  if (containsUnstorableText(raw)) throw new DomainError('validation_failed', 'The payload holds characters that cannot be stored', 400)
  const parsed = WebhookPayloadSchema.safeParse(raw)
  return write(ctx, async (w) => {
    if (!parsed.success) {
      const issues = contractIssues(parsed.error)
      await w.db.insert(integrationInbound).values({ connector: 'warehouse', kind: 'webhook', status: 'quarantined', raw, issues })
      await markConnectorDegraded(w, 'warehouse', `MoySklad webhook: the payload no longer matches its contract (${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')})`)
      return { accepted: false as const, issues }
    }
    const [row] = await w.db.insert(integrationInbound).values({ connector: 'warehouse', kind: 'webhook', status: 'accepted', raw }).returning({ id: integrationInbound.id })
    await w.enqueue(warehouseStockSyncJob, { reason: 'webhook' }, { singletonKey: 'warehouse-webhook-sync', singletonSeconds: 10 })
    return { accepted: true as const, id: row!.id }
  })
}

/** The latest warehouse payloads (applied syncs, webhooks, quarantined ones), newest first. */
export async function listInbound(db: DbOrTx, limit = 30) {
  return db.select().from(integrationInbound).orderBy(desc(integrationInbound.id)).limit(limit)
}

/** Whether a webhook carries the secret we gave MoySklad (compared in constant time). */
export function checkWarehouseWebhookSecret(ctx: ServiceContext, secret: string | undefined) {
  const expected = ctx.config.integrations.moysklad?.webhookSecret
  if (!ctx.config.integrations.moysklad || !expected) throw new DomainError('integration_not_configured', 'The warehouse webhook is not configured: set MOYSKLAD_TOKEN and MOYSKLAD_WEBHOOK_SECRET', 409)
  const a = createHash('sha256').update(secret ?? '').digest()
  const b = createHash('sha256').update(expected).digest()
  if (!secret || !timingSafeEqual(a, b)) throw new DomainError('integration_webhook_unauthorized', 'Wrong or missing webhook secret', 401)
}
