import { DeliveryZoneInputSchema } from '#shared/schemas/orders'
import { useAdminApi, useList } from './api'
import { minorToRubles, rublesToMinor } from './money'
import type { AdminDeliverySettings, AdminDeliveryZone, AdminPickupPoint } from './types'

/** Every courier zone, inactive ones too (cheapest first, as checkout offers them). */
export const useAdminDeliveryZones = () => useList<AdminDeliveryZone>('/api/admin/delivery/zones')
/** Every pickup point, inactive ones too. */
export const useAdminPickupPoints = () => useList<AdminPickupPoint>('/api/admin/delivery/pickup-points')

/** Delivery writes; each throws AdminApiError with the server's code and field details. */
export function useDeliveryActions() {
  const api = useAdminApi()
  return {
    createZone: (body: unknown) => api.post<AdminDeliveryZone>('/api/admin/delivery/zones', body),
    updateZone: (id: number, patch: unknown) => api.patch<AdminDeliveryZone>(`/api/admin/delivery/zones/${id}`, patch),
    createPickupPoint: (body: unknown) => api.post<AdminPickupPoint>('/api/admin/delivery/pickup-points', body),
    updatePickupPoint: (id: number, patch: unknown) => api.patch<AdminPickupPoint>(`/api/admin/delivery/pickup-points/${id}`, patch),
    settings: () => api.get<AdminDeliverySettings>('/api/admin/delivery/settings'),
    setTelegramShipping: (telegramShipping: boolean) => api.patch<{ telegramShipping: boolean }>('/api/admin/delivery/settings', { telegramShipping }),
  }
}

/** A zone that can match an address typed in Telegram's payment form (one with neither never does). */
export const matchesTypedAddresses = (z: AdminDeliveryZone) => z.isActive && (z.cities.length > 0 || z.postCodePrefixes.length > 0)

/** The zone editor's working copy: money as rubles typed by hand, lists as free text. */
export interface ZoneDraft {
  name: { ru: string; en: string }
  description: { ru: string; en: string }
  price: string
  freeFrom: string
  minOrder: string
  etaMinutes: number
  isActive: boolean
  countryCode: string
  cities: string
  postCodes: string
}

export function zoneDraftFrom(z?: AdminDeliveryZone | null): ZoneDraft {
  return {
    name: { ...(z?.name ?? { ru: '', en: '' }) },
    description: { ...(z?.description ?? { ru: '', en: '' }) },
    price: minorToRubles(z?.priceMinor),
    freeFrom: minorToRubles(z?.freeFromMinor),
    minOrder: z?.minOrderMinor ? minorToRubles(z.minOrderMinor) : '',
    etaMinutes: z?.etaMinutes ?? 60,
    isActive: z?.isActive ?? true,
    countryCode: z?.countryCode ?? '',
    cities: (z?.cities ?? []).join('\n'),
    postCodes: (z?.postCodePrefixes ?? []).join(', '),
  }
}

/** Comma- or line-separated text to a list; the server's schema trims and drops repeats. */
const splitList = (text: string) => text.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean)

export type ZoneIssue = { path: string; key: 'delivery.errors.price' | 'delivery.errors.freeFrom' | 'delivery.errors.name' | 'delivery.errors.country' | 'delivery.errors.postCode' | 'delivery.errors.city' | 'delivery.errors.eta' | 'delivery.errors.other'; value?: string }

/** Which message explains a problem with each zone field. */
const ZONE_FIELD_MESSAGES: Record<string, ZoneIssue['key']> = {
  name: 'delivery.errors.name',
  countryCode: 'delivery.errors.country',
  postCodePrefixes: 'delivery.errors.postCode',
  cities: 'delivery.errors.city',
  freeFromMinor: 'delivery.errors.freeFrom',
  etaMinutes: 'delivery.errors.eta',
  priceMinor: 'delivery.errors.price',
  minOrderMinor: 'delivery.errors.price',
}

/**
 * The request body from the form, checked with the server's own schema; rubles go out as kopecks.
 * Returns the problems per field instead when something is off (messages are the caller's to word).
 */
export function zoneBodyFrom(draft: ZoneDraft): { body?: Record<string, unknown>; issues: ZoneIssue[] } {
  const issues: ZoneIssue[] = []
  const money = (text: string, path: string, key: ZoneIssue['key'], empty: number | null) => {
    if (!text.trim()) return empty
    const minor = rublesToMinor(text)
    if (minor === null || minor < 0) issues.push({ path, key })
    return minor ?? 0
  }
  const priceMinor = draft.price.trim() ? money(draft.price, 'priceMinor', 'delivery.errors.price', 0) : (issues.push({ path: 'priceMinor', key: 'delivery.errors.price' }), 0)
  const body = {
    name: { ru: draft.name.ru, en: draft.name.en },
    description: { ru: draft.description.ru, en: draft.description.en },
    priceMinor,
    freeFromMinor: money(draft.freeFrom, 'freeFromMinor', 'delivery.errors.freeFrom', null),
    minOrderMinor: money(draft.minOrder, 'minOrderMinor', 'delivery.errors.price', 0),
    etaMinutes: draft.etaMinutes,
    isActive: draft.isActive,
    countryCode: draft.countryCode.trim() ? draft.countryCode.trim() : null,
    cities: splitList(draft.cities),
    postCodePrefixes: splitList(draft.postCodes),
  }
  if (issues.length) return { issues }
  const parsed = DeliveryZoneInputSchema.safeParse(body)
  if (parsed.success) return { body, issues }
  for (const issue of parsed.error.issues) {
    const [field, index] = issue.path
    const key: ZoneIssue['key'] = ZONE_FIELD_MESSAGES[String(field)] ?? 'delivery.errors.other'
    const value = typeof index === 'number' ? (body[field as 'cities' | 'postCodePrefixes'] as string[])[index] : undefined
    issues.push({ path: issue.path.map(String).join('.'), key, value })
  }
  return { issues }
}
