/**
 * Delivery addresses through the maps partner (Yandex Geocoder): free text becomes a point and its
 * parts (country, city, post code), which the delivery zones' rules then match, so staff (and later
 * checkout) see which zone an address falls in. An answer outside the contract marks the connector
 * degraded and is never used.
 */
import { ContractDriftError, PartnerRejectedError } from '../../integrations/http'
import { geocode } from '../../integrations/yandex-geocoder'
import { DomainError } from '../../utils/errors'
import { listDeliveryOptions } from '../delivery'
import { zonesForAddress } from '../delivery/shipping'
import { write, type ServiceContext } from '../context'
import { markConnectorDegraded, recordHealth } from './delivery'

/** Geocodes an address and names the active delivery zones that cover it. */
export async function locateAddress(ctx: ServiceContext, text: string) {
  const settings = ctx.config.integrations.geocoder
  if (!settings) throw new DomainError('integration_not_configured', 'Maps are not configured: set YANDEX_GEOCODER_API_KEY', 409)
  const started = performance.now()
  let found
  try {
    found = await geocode(settings, text)
  } catch (error) {
    await write(ctx, async (w) => {
      await recordHealth(w.db, 'maps', false)
      if (error instanceof ContractDriftError) await markConnectorDegraded(w, 'maps', error.message)
    })
    if (error instanceof ContractDriftError) throw new DomainError('partner_contract_changed', error.message, 424, { issues: error.issues })
    throw new DomainError('partner_unavailable', error instanceof PartnerRejectedError ? `${error.message}: check YANDEX_GEOCODER_API_KEY` : (error as Error).message, 424)
  }
  await recordHealth(ctx.db, 'maps', true, Math.round(performance.now() - started))
  if (!found) return { found: null, zones: [] }
  const { deliveryZones } = await listDeliveryOptions(ctx.db)
  const zones = zonesForAddress(deliveryZones, { country_code: found.countryCode, state: '', city: found.city, street_line1: found.street, street_line2: '', post_code: found.postCode })
  return { found, zones: zones.map((z) => ({ id: z.id, slug: z.slug, name: z.name, priceMinor: z.priceMinor, etaMinutes: z.etaMinutes })) }
}
