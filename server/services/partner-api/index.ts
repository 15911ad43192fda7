/**
 * The REST API v1 partners call with an API key (docs/integrations.md, "REST API v1"). Each read
 * and write lives in the module that owns its tables (`<module>/partner.ts`); this file composes
 * them: writes in one transaction, audited with the key that made them, with the same rules
 * (order transitions) and integration events as a change made in /admin.
 */
import type { z } from 'zod'
import type { V1PricesSchema, V1StockSchema } from '#shared/schemas/partner-api'
import type { OrderStatus } from '#shared/schemas/orders'
import type { DbOrTx } from '../../db/client'
import { write, type ServiceContext } from '../context'
import { changeOrderStatusAsStaff, getOrder } from '../orders'
import { toAdminOrderDto } from '../orders/dto'
import { setPricesBySku, setStockBySku } from '../catalog/partner'
import type { ApiCaller } from './keys'

export { listOrdersForPartner as listOrdersV1 } from '../orders/partner'
export { listBookingsForPartner as listBookingsV1 } from '../booking/partner'
export { listConsentingCustomers as listConsentingCustomersV1 } from '../account/partner'

/** One order with its lines, timeline and the statuses it may move to. */
export async function getOrderV1(db: DbOrTx, id: number) {
  return toAdminOrderDto(await getOrder(db, id))
}

/** Moves an order along, within what staff may do (paid and refunded follow payments); audited as the key. */
export async function setOrderStatusV1(ctx: ServiceContext, caller: ApiCaller, id: number, status: OrderStatus, note?: string) {
  await changeOrderStatusAsStaff(ctx, id, status, note ?? `Set through the API (key "${caller.name}")`)
  return getOrderV1(ctx.db, id)
}

/** Sets stock by SKU, all or nothing; each change is a `stock.changed` event; one audit row names the key. */
export async function upsertStockV1(ctx: ServiceContext, caller: ApiCaller, input: z.output<typeof V1StockSchema>) {
  return write(ctx, async (w) => {
    const items = await setStockBySku(w, input.items)
    const changed = items.filter((c) => c.changed)
    if (changed.length) await w.audit({ action: 'product.stock', entityType: 'product', entityId: null, after: { via: 'api', apiKey: { id: caller.id, name: caller.name }, changes: changed } })
    return { items }
  })
}

/** Sets prices (minor units of each product's own currency) by SKU, all or nothing, audited with the key. */
export async function upsertPricesV1(ctx: ServiceContext, caller: ApiCaller, input: z.output<typeof V1PricesSchema>) {
  return write(ctx, async (w) => {
    const items = await setPricesBySku(w, input.items)
    const changed = items.filter((c) => c.changed)
    if (changed.length) await w.audit({ action: 'product.price', entityType: 'product', entityId: null, after: { via: 'api', apiKey: { id: caller.id, name: caller.name }, changes: changed } })
    return { items }
  })
}
