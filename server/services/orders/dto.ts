import { customerMayCancel, staffTransitions, type OrderDetail, type OrderRow } from './index'

export function toOrderDto(o: OrderRow) {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    currency: o.currency,
    itemsTotalMinor: o.itemsTotalMinor,
    deliveryMinor: o.deliveryMinor,
    discountMinor: o.discountMinor,
    totalMinor: o.totalMinor,
    deliveryMethod: o.deliveryMethod,
    pickupPointId: o.pickupPointId,
    deliveryZoneId: o.deliveryZoneId,
    address: o.address,
    shippingAddress: o.shippingAddress,
    shippingOptionId: o.shippingOptionId,
    contactName: o.contactName,
    contactPhone: o.contactPhone,
    comment: o.comment,
    paymentMethod: o.paymentMethod,
    reservedUntil: o.reservedUntil,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  }
}

/** An order as its customer sees it in the Mini App, with what they may do next. */
export function toOrderDetailDto(o: OrderDetail) {
  return {
    ...toOrderDto(o),
    /** The customer may cancel it themselves now (the rule lives in the orders service). */
    canCancel: customerMayCancel(o),
    /** Where a pickup order is collected, as the point reads now (name, address, opening hours). */
    pickupPoint: o.pickupPoint,
    items: o.items.map((i) => ({ productId: i.productId, name: i.name, options: i.options, unitPriceMinor: i.unitPriceMinor, quantity: i.quantity, totalMinor: i.totalMinor })),
    history: o.history.map((h) => ({ from: h.fromStatus, to: h.toStatus, actorKind: h.actorKind, note: h.note, at: h.createdAt })),
  }
}

/** An order as operators see it in /admin: the customer's Telegram id and the statuses they may set. */
export function toAdminOrderDto(o: OrderDetail) {
  return { ...toOrderDetailDto(o), customerTelegramId: o.userId, allowedStatuses: staffTransitions(o) }
}
