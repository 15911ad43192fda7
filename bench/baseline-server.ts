/**
 * The baseline: a bare node:http server doing the least the app's routes must do, run as its own
 * process by plain `node` (Node 24 strips the types), so it is measured exactly like the app.
 * - GET /api/health: the app's bytes and headers ({"status":"ok"}, request id, no-store).
 * - POST /api/telegram/webhook: reads the body, parses the JSON, answers 200 like the app does.
 * - BASELINE_RESPONSES (a JSON file `{ "<path?query>": { contentType, body } }`): those exact bytes,
 *   captured from the app (catalog lists, search results, an SSR page).
 * Anything else: 200 {"status":"ok"} as well (used as the readiness probe).
 *
 * LIKE_APP (bench/health-flood.ts; unset everywhere else): the GET answers also do what the app's
 * hot answer does besides writing the bytes, one letter a part: H the app's headers (HEADERS, a
 * JSON list name, value, ...), L one JSON access-log line a request gathered per turn of the loop
 * and written to stdout, M the prom-client duration histogram.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

const HEALTH = Buffer.from('{"status":"ok"}')
const ACCEPTED = Buffer.from('{"ok":true,"duplicate":false}')

const file = process.env.BASELINE_RESPONSES
const captured = new Map<string, { contentType: string; body: Buffer }>(
  Object.entries(file ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { contentType: string; body: string }>) : {})
    .map(([path, r]) => [path, { contentType: r.contentType, body: Buffer.from(r.body) }]),
)

function send(res: ServerResponse, status: number, body: Buffer, contentType = 'application/json') {
  res.writeHead(status, {
    'X-Request-Id': randomUUID(),
    'Cache-Control': 'no-store',
    'content-type': contentType,
    'Content-Length': body.length,
  })
  res.end(body)
}

const like = process.env.LIKE_APP ?? ''
const appHeaders = like.includes('H') ? (JSON.parse(process.env.HEADERS ?? '[]') as string[]) : undefined
const histogram = like.includes('M') ? new (await import('prom-client')).Histogram({ name: 'http_request_duration_seconds', help: 'as the app', labelNames: ['method', 'route', 'status'] }) : undefined
let pending: string[] = []
let scheduled = false
function flush() {
  scheduled = false
  const chunk = pending.join('')
  pending = []
  process.stdout.write(chunk)
}

/** A GET answered as the app's hot answer would be, with the LIKE_APP parts switched on. */
function sendLikeApp(req: IncomingMessage, res: ServerResponse, body: Buffer, contentType: string) {
  if (!appHeaders) return send(res, 200, body, contentType)
  const started = performance.now()
  const requestId = randomUUID()
  res.writeHead(200, [...appHeaders, 'content-length', String(body.length), 'x-request-id', requestId])
  res.end(body)
  const path = (req.url ?? '').split('?')[0]!
  histogram?.observe({ method: 'GET', route: path, status: '200' }, (performance.now() - started) / 1000)
  if (like.includes('L') && path !== '/api/health') {
    pending.push(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'request', requestId, method: 'GET', path, route: path, status: 200, ms: 0, ua: req.headers['user-agent']?.slice(0, 120) }) + '\n')
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
}

async function webhook(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  try {
    const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { update_id?: unknown }
    if (typeof update.update_id !== 'number') return send(res, 400, Buffer.from('{"code":"validation_failed"}'))
    send(res, 200, ACCEPTED)
  } catch {
    send(res, 400, Buffer.from('{"code":"bad_request"}'))
  }
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/telegram/webhook') return void webhook(req, res)
  const hit = captured.get(req.url ?? '')
  if (like) return sendLikeApp(req, res, hit?.body ?? HEALTH, hit?.contentType ?? 'application/json')
  if (hit) return send(res, 200, hit.body, hit.contentType)
  send(res, 200, HEALTH)
})
server.keepAliveTimeout = 5000 // the same keep-alive the app's Nitro server announces
server.listen(Number(process.env.PORT), '127.0.0.1')
process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeAllConnections() })
