import { setTelegramShippingSetting } from '#server/services/delivery/admin'
import { DeliverySettingsPatchSchema } from '#shared/schemas/orders'

/** Turns Telegram's address collection on or off (audited as a setting). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  const { telegramShipping } = await readValidatedBody(event, DeliverySettingsPatchSchema.parse)
  const change = await setTelegramShippingSetting(ctx, telegramShipping)
  return { telegramShipping: change.after }
})
