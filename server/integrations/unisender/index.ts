import { CustomerEventPayloadSchema } from '#shared/schemas/integrations'
import { callPartner, parseContract, PartnerRejectedError } from '../http'
import type { Connector } from '../types'
import { ExcludeRequestSchema, ExcludeResponseSchema, GetListsResponseSchema, SubscribeRequestSchema, SubscribeResponseSchema } from './contract'

export interface UniSenderSettings {
  apiUrl: string
  apiKey: string
  listId: string
  timeoutMs: number
}

const form = (apiKey: string, fields: Record<string, string | undefined>) => new URLSearchParams(Object.entries({ api_key: apiKey, ...fields }).filter((e): e is [string, string] => e[1] !== undefined)).toString()

/**
 * Mailing through UniSender: a customer who agreed to news is subscribed (updated in place on a
 * repeat, so a retried delivery changes nothing twice); one who withdrew consent or was deleted
 * is excluded from the list. Only customers with an e-mail or a phone can be on a mailing list.
 */
export const unisenderConnector: Connector<UniSenderSettings> = {
  name: 'mailing',
  partner: 'UniSender',
  settings: (config) => config.integrations.unisender,
  wants(event) {
    if (!event.type.startsWith('customer.')) return false
    const customer = CustomerEventPayloadSchema.safeParse(event.payload)
    return !customer.success || Boolean(customer.data.email || customer.data.phone)
  },
  async probe(s) {
    const answer = await callPartner({ what: 'UniSender getLists (probe)', url: `${s.apiUrl}/getLists?format=json`, body: form(s.apiKey, {}), response: GetListsResponseSchema, timeoutMs: s.timeoutMs })
    if ('error' in answer.data) throw new PartnerRejectedError(`UniSender getLists: ${answer.data.error}`, answer.httpStatus, answer.data)
  },
  async deliver(event, s) {
    const customer = parseContract('customer event', CustomerEventPayloadSchema, event.payload)
    const phone = customer.phone?.replace(/[^\d+]/g, '')
    if (event.type !== 'customer.deleted' && customer.newsConsent) {
      const body = SubscribeRequestSchema.parse({ list_ids: s.listId, 'fields[email]': customer.email ?? undefined, 'fields[phone]': phone || undefined, 'fields[Name]': customer.name, double_optin: '3', overwrite: '2' })
      const answer = await callPartner({ what: 'UniSender subscribe', url: `${s.apiUrl}/subscribe?format=json`, body: form(s.apiKey, body), response: SubscribeResponseSchema, timeoutMs: s.timeoutMs })
      if ('error' in answer.data) throw new PartnerRejectedError(`UniSender subscribe: ${answer.data.error}`, answer.httpStatus, answer.data)
      return { externalId: String(answer.data.result.person_id), response: answer.data, httpStatus: answer.httpStatus, latencyMs: answer.latencyMs }
    }
    const body = ExcludeRequestSchema.parse({ list_ids: s.listId, contact_type: customer.email ? 'email' : 'phone', contact: customer.email ?? phone ?? '' })
    const answer = await callPartner({ what: 'UniSender exclude', url: `${s.apiUrl}/exclude?format=json`, body: form(s.apiKey, body), response: ExcludeResponseSchema, timeoutMs: s.timeoutMs })
    if ('error' in answer.data) throw new PartnerRejectedError(`UniSender exclude: ${answer.data.error}`, answer.httpStatus, answer.data)
    return { response: { excluded: body.contact_type }, httpStatus: answer.httpStatus, latencyMs: answer.latencyMs }
  },
}
