import type { AccountSection } from '../account/registry'
import { clearCart, getCart } from './index'

/** The cart's part of the personal account: what sits in it goes into the export and is dropped on deletion. */
export const cartAccountSection: AccountSection = {
  key: 'cart',
  async exportData(db, userId) {
    const cart = await getCart(db, userId)
    return cart.lines.map((l) => ({ productId: l.productId, name: l.name, options: l.options, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor }))
  },
  async erase(w, userId) {
    await clearCart(w.db, userId)
    return {}
  },
}
