import { callPartner } from '../http'
import { GeocodeResponseSchema } from './contract'

export interface GeocoderSettings {
  apiUrl: string
  apiKey: string
  timeoutMs: number
}

/** An address as the geocoder understood it. */
export interface GeocodedAddress {
  lat: number
  lon: number
  /** `exact`, `number`, `near`, `range`, `street`, `other`: how sure the geocoder is about the house. */
  precision: string
  formatted: string
  countryCode: string
  city: string
  postCode: string
  street: string
}

/** Geocodes free text to a point and its parts, or null when the geocoder knows no such place. */
export async function geocode(s: GeocoderSettings, text: string): Promise<GeocodedAddress | null> {
  const url = `${s.apiUrl}/?${new URLSearchParams({ apikey: s.apiKey, geocode: text, format: 'json', lang: 'ru_RU', results: '1' })}`
  const { data } = await callPartner({ what: 'Yandex Geocoder', url, response: GeocodeResponseSchema, timeoutMs: s.timeoutMs })
  const found = data.response.GeoObjectCollection.featureMember[0]?.GeoObject
  if (!found) return null
  const meta = found.metaDataProperty.GeocoderMetaData
  const part = (kind: string) => meta.Address.Components.find((c) => c.kind === kind)?.name ?? ''
  const [lon, lat] = found.Point.pos.split(' ').map(Number) as [number, number]
  return { lat, lon, precision: meta.precision, formatted: meta.Address.formatted, countryCode: meta.Address.country_code ?? '', city: part('locality') || part('province'), postCode: meta.Address.postal_code ?? '', street: [part('street'), part('house')].filter(Boolean).join(', ') }
}
