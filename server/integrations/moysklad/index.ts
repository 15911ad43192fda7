import { callPartner } from '../http'
import { AssortmentPageSchema, CurrentStockSchema } from './contract'

export interface MoySkladSettings {
  token: string
  apiUrl: string
  webhookSecret?: string
  timeoutMs: number
}

const headers = (s: MoySkladSettings) => ({ authorization: `Bearer ${s.token}`, 'accept-encoding': 'gzip' })

/** Current stock per assortment id, as MoySklad counts it (all stores). */
export async function fetchCurrentStock(s: MoySkladSettings) {
  const { data } = await callPartner({ what: 'MoySklad report/stock/all/current', url: `${s.apiUrl}/report/stock/all/current`, headers: headers(s), response: CurrentStockSchema, timeoutMs: s.timeoutMs })
  return data
}

/** Every assortment item's id -> externalCode (our slug), page by page. */
export async function fetchExternalCodes(s: MoySkladSettings, pageSize = 1000) {
  const codes = new Map<string, string>()
  for (let offset = 0; offset < 100_000; offset += pageSize) {
    const { data } = await callPartner({ what: 'MoySklad entity/assortment', url: `${s.apiUrl}/entity/assortment?limit=${pageSize}&offset=${offset}`, headers: headers(s), response: AssortmentPageSchema, timeoutMs: s.timeoutMs })
    for (const row of data.rows) if (row.externalCode) codes.set(row.id, row.externalCode)
    if (offset + data.rows.length >= data.meta.size || data.rows.length === 0) break
  }
  return codes
}

/** The probe: one assortment item and the stock report, both checked by their contracts. */
export async function probeMoySklad(s: MoySkladSettings) {
  await callPartner({ what: 'MoySklad entity/assortment (probe)', url: `${s.apiUrl}/entity/assortment?limit=1`, headers: headers(s), response: AssortmentPageSchema, timeoutMs: s.timeoutMs })
  await fetchCurrentStock(s)
}
