/**
 * The baseline: a bare node:http server doing the least the app's routes must do, run as its own
 * process by plain `node` (Node 24 strips the types), so it is measured exactly like the app.
 * - GET /api/health: the app's bytes and headers ({"status":"ok"}, request id, no-store).
 * - POST /api/telegram/webhook: reads the body, parses the JSON, answers 200 like the app does.
 * - BASELINE_RESPONSES (a JSON file `{ "<path?query>": { contentType, body } }`): those exact bytes,
 *   captured from the app (catalog lists, search results, an SSR page).
 * Anything else: 200 {"status":"ok"} as well (used as the readiness probe).
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
  if (hit) return send(res, 200, hit.body, hit.contentType)
  send(res, 200, HEALTH)
})
server.keepAliveTimeout = 5000 // the same keep-alive the app's Nitro server announces
server.listen(Number(process.env.PORT), '127.0.0.1')
process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeAllConnections() })
