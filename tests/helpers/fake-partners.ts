/**
 * Fake partners for integration tests: local node:http servers that implement the parts of the
 * partners' documented APIs we use, and misbehave on demand (5xx, no answer, a renamed field).
 * Never the internet.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Misbehaviour = 'http500' | 'hang' | 'renamed' | 'lose-answer' | 'http401'

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const time = () => ({ start: Date.now() / 1000, finish: Date.now() / 1000 + 0.01, duration: 0.01 })

/** Bitrix24 behind an inbound webhook: crm.deal.list / add / update, deals kept in memory. */
export async function startFakeBitrix24() {
  const deals: Record<string, unknown>[] = []
  const calls: { method: string; body: Record<string, unknown> }[] = []
  /** Misbehaviours to apply to the next calls of a method, one per call. */
  const plan: Record<string, Misbehaviour[]> = {}
  const hung: ServerResponse[] = []
  const server = createServer(async (req, res) => {
    const match = /^\/rest\/1\/s3cr3tc0de\/([\w.]+)\.json$/.exec(req.url ?? '')
    if (!match) return send(res, 401, { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' })
    const method = match[1]!
    const body = await readJson(req)
    calls.push({ method, body })
    const trouble = plan[method]?.shift()
    if (trouble === 'http500') return send(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' })
    if (trouble === 'hang') return void hung.push(res)
    if (method === 'crm.deal.list') {
      const filter = body.filter as Record<string, string>
      const found = deals.filter((d) => d.ORIGINATOR_ID === filter.ORIGINATOR_ID && d.ORIGIN_ID === filter.ORIGIN_ID).map((d) => ({ ID: d.ID, STAGE_ID: d.STAGE_ID }))
      if (trouble === 'renamed') return send(res, 200, { items: found, total: found.length, time: time() })
      return send(res, 200, { result: found, total: found.length, time: time() })
    }
    if (method === 'crm.deal.add') {
      const id = deals.length + 1
      deals.push({ ...(body.fields as object), ID: String(id) })
      if (trouble === 'lose-answer') return send(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
      if (trouble === 'renamed') return send(res, 200, { result: { id }, time: time() })
      return send(res, 200, { result: id, time: time() })
    }
    if (method === 'crm.deal.update') {
      const deal = deals.find((d) => d.ID === String(body.id))
      if (!deal) return send(res, 400, { error: 'NOT_FOUND', error_description: 'Not found' })
      Object.assign(deal, body.fields)
      return send(res, 200, { result: true, time: time() })
    }
    send(res, 404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' })
  })
  const root = await listen(server)
  return {
    webhookUrl: `${root}/rest/1/s3cr3tc0de/`,
    deals,
    calls,
    plan,
    async close() {
      for (const res of hung) res.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** MoySklad JSON API 1.2: the current stock report and the assortment list (with externalCode). */
export async function startFakeMoySklad(token = 'ms-token-0123456789') {
  const items: { id: string; name: string; externalCode?: string; stock: number }[] = []
  const plan: Misbehaviour[] = []
  const server = createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { errors: [{ error: 'Ошибка аутентификации', code: 1056 }] })
    const url = new URL(req.url ?? '/', 'http://x')
    const trouble = req.method === 'GET' && url.pathname.endsWith('/report/stock/all/current') ? plan.shift() : undefined
    if (trouble === 'http500') return send(res, 500, { errors: [{ error: 'Internal error' }] })
    if (url.pathname === '/api/remap/1.2/report/stock/all/current') {
      if (trouble === 'renamed') return send(res, 200, items.map((i) => ({ assortmentId: i.id, quantity: i.stock })))
      return send(res, 200, items.map((i) => ({ assortmentId: i.id, stock: i.stock })))
    }
    if (url.pathname === '/api/remap/1.2/entity/assortment') {
      const limit = Number(url.searchParams.get('limit') ?? 1000)
      const offset = Number(url.searchParams.get('offset') ?? 0)
      const rows = items.slice(offset, offset + limit).map((i) => ({ meta: { type: 'product' }, id: i.id, name: i.name, ...(i.externalCode ? { externalCode: i.externalCode } : {}) }))
      return send(res, 200, { meta: { size: items.length, limit, offset }, rows })
    }
    send(res, 404, { errors: [{ error: 'Not found' }] })
  })
  const root = await listen(server)
  return {
    apiUrl: `${root}/api/remap/1.2`,
    token,
    items,
    plan,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** ATOL Online v4: getToken, sell and sell_refund; one document per external_id, as ATOL keeps them. */
export async function startFakeAtol(login = 'atol-login', pass = 'atol-pass') {
  const documents = new Map<string, { uuid: string; operation: string; body: Record<string, unknown> }>()
  const plan: Misbehaviour[] = []
  let issued = 0
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const body = await readJson(req)
    const timestamp = '01.12.2026 10:00:00'
    if (url.pathname === '/possystem/v4/getToken') {
      if (body.login !== login || body.pass !== pass) return send(res, 200, { error: { error_id: 'e1', code: 12, text: 'Неверный логин или пароль', type: 'system' }, token: null, timestamp })
      return send(res, 200, { error: null, token: `token-${++issued}`, timestamp })
    }
    const match = /^\/possystem\/v4\/([\w-]+)\/(sell|sell_refund)$/.exec(url.pathname)
    if (!match) return send(res, 404, { error: { code: 404, text: 'Not found' }, timestamp })
    if (!String(req.headers.token ?? '').startsWith('token-')) return send(res, 401, { error: { error_id: 'e2', code: 11, text: 'Токен не действителен', type: 'system' }, timestamp })
    const trouble = plan.shift()
    const externalId = String(body.external_id)
    const existing = documents.get(externalId)
    const doc = existing ?? { uuid: `atol-${documents.size + 1}`, operation: match[2]!, body }
    documents.set(externalId, doc)
    if (trouble === 'lose-answer') return send(res, 504, { error: { code: 504, text: 'Gateway timeout' }, timestamp })
    if (trouble === 'renamed') return send(res, 200, { id: doc.uuid, status: 'wait', error: null, timestamp })
    if (existing) return send(res, 200, { uuid: doc.uuid, status: 'wait', error: { error_id: 'e3', code: 10, text: 'Документ с таким external_id уже существует', type: 'system' }, timestamp })
    return send(res, 200, { uuid: doc.uuid, status: 'wait', error: null, timestamp })
  })
  const root = await listen(server)
  return {
    apiUrl: `${root}/possystem/v4`,
    login,
    pass,
    documents,
    plan,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** UniSender: subscribe (one contact per e-mail or phone, updated in place), exclude and getLists; errors as HTTP 200 `{ error, code }`. */
export async function startFakeUniSender(apiKey = 'unisender-key-0123456789') {
  const contacts = new Map<string, { personId: number; fields: Record<string, string>; lists: Set<string> }>()
  const plan: Misbehaviour[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
    const method = new URL(req.url ?? '/', 'http://x').pathname.split('/').pop()
    if (form.get('api_key') !== apiKey) return send(res, 200, { error: 'Invalid API key', code: 'invalid_api_key' })
    const trouble = plan.shift()
    if (trouble === 'http500') return send(res, 500, { error: 'Internal error' })
    if (method === 'getLists') return send(res, 200, { result: [{ id: 1, title: 'Новости' }] })
    if (method === 'subscribe') {
      const key = form.get('fields[email]') ?? form.get('fields[phone]') ?? ''
      const contact = contacts.get(key) ?? { personId: contacts.size + 1, fields: {}, lists: new Set<string>() }
      for (const [k, v] of form) if (k.startsWith('fields[')) contact.fields[k.slice(7, -1)] = v
      for (const id of (form.get('list_ids') ?? '').split(',')) contact.lists.add(id)
      contacts.set(key, contact)
      if (trouble === 'lose-answer') return send(res, 502, { error: 'Bad gateway' })
      return send(res, 200, { result: { person_id: contact.personId } })
    }
    if (method === 'exclude') {
      const contact = contacts.get(form.get('contact') ?? '')
      for (const id of (form.get('list_ids') ?? '').split(',')) contact?.lists.delete(id)
      return send(res, 200, { result: {} })
    }
    send(res, 200, { error: 'Unknown method', code: 'unknown_method' })
  })
  const root = await listen(server)
  return {
    apiUrl: `${root}/ru/api`,
    apiKey,
    contacts,
    plan,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** Yandex Geocoder 1.x: answers known addresses from `places`, an empty featureMember otherwise. */
export async function startFakeGeocoder(apiKey = 'geocoder-key-0123456789') {
  const places = new Map<string, { lon: number; lat: number; postalCode: string; city: string; street: string; house: string }>()
  const plan: Misbehaviour[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.searchParams.get('apikey') !== apiKey) return send(res, 403, { statusCode: 403, error: 'Forbidden', message: 'Invalid api key' })
    const trouble = plan.shift()
    if (trouble === 'http500') return send(res, 500, { statusCode: 500, error: 'Internal Server Error' })
    const place = places.get(url.searchParams.get('geocode') ?? '')
    const formatted = place ? `Россия, ${place.city}, ${place.street}, ${place.house}` : ''
    const member = place
      ? [{
          GeoObject: {
            metaDataProperty: { GeocoderMetaData: { precision: 'exact', kind: 'house', text: formatted, Address: { country_code: 'RU', postal_code: place.postalCode, formatted, Components: [{ kind: 'country', name: 'Россия' }, { kind: 'province', name: place.city }, { kind: 'locality', name: place.city }, { kind: 'street', name: place.street }, { kind: 'house', name: place.house }] } } },
            name: `${place.street}, ${place.house}`,
            description: `${place.city}, Россия`,
            Point: trouble === 'renamed' ? { coordinates: [place.lon, place.lat] } : { pos: `${place.lon} ${place.lat}` },
          },
        }]
      : []
    send(res, 200, { response: { GeoObjectCollection: { metaDataProperty: { GeocoderResponseMetaData: { request: url.searchParams.get('geocode'), found: String(member.length), results: '1' } }, featureMember: member } } })
  })
  const root = await listen(server)
  return {
    apiUrl: `${root}/1.x`,
    apiKey,
    places,
    plan,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
