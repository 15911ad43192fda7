import { useServices } from '../../../utils/runtime'
import { auditContext, requireRole } from '../../../utils/auth'
import { setTelegramShippingSetting } from '../../../services/orders/delivery-admin'
import { TELEGRAM_SHIPPING_SETTING } from '../../../services/orders/shipping'
import { recordAudit } from '../../../services/audit'
import { DeliverySettingsPatchSchema } from '#shared/schemas/orders'

/** Turns Telegram's address collection on or off (audited as a setting). */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'settings.write')
  const { telegramShipping } = await readValidatedBody(event, DeliverySettingsPatchSchema.parse)
  const services = await useServices()
  await services.db.transaction(async (tx) => {
    const change = await setTelegramShippingSetting(tx, telegramShipping)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'setting.update', entityType: 'setting', entityId: TELEGRAM_SHIPPING_SETTING, before: { value: change.before }, after: { value: change.after } })
  })
  return { telegramShipping }
})
