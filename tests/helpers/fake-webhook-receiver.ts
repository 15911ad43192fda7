import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the next requests meet: a 500, no answer (the sender times out), a slow but good answer. */
export type ReceiverMisbehaviour = 'http500' | 'hang' | 'slow'

export interface ReceivedWebhook {
  id: string
  type: string
  timestamp: number
  signature: string
  idempotencyKey: string | undefined
  body: string
  /** Whether the signature verified with the receiver's secret(s), as the docs' snippet checks it. */
  verified: boolean
}

/** The verification from docs/integrations.md: HMAC-SHA256 of `<t>.<body>`, any `v1=` matching, within the replay window. */
export function verifyWebhookSignature(header: string, body: string, secret: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = header.split(',').map((p) => p.split('=') as [string, string])
  const t = Number(parts.find(([k]) => k === 't')?.[1])
  if (!Number.isFinite(t) || Math.abs(now / 1000 - t) > toleranceSeconds) return false
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'))
  return parts.some(([k, v]) => k === 'v1' && v.length === expected.length && timingSafeEqual(Buffer.from(v), expected))
}

/**
 * A partner's webhook receiver on a local port that counts what it accepted by event id (a
 * duplicate is a second 2xx for the same id) and can misbehave: `plan` holds what the next
 * requests meet; `down()` closes the port (connection refused) until `up()` opens the same one.
 */
export async function startFakeWebhookReceiver(options: { slowMs?: number } = {}) {
  let secrets: string[] = []
  const plan: ReceiverMisbehaviour[] = []
  /** Every 2xx the receiver answered, in order. */
  const accepted: ReceivedWebhook[] = []
  let attempts = 0
  const hanging = new Set<ServerResponse>()
  let server: Server
  let port = 0

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      attempts++
      const step = plan.shift()
      if (step === 'hang') return void hanging.add(res)
      if (step === 'http500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom')
        return
      }
      const answer = () => {
        const header = String(req.headers['x-webhook-signature'] ?? '')
        const parsed = JSON.parse(body) as { id: string; type: string }
        accepted.push({
          id: parsed.id,
          type: parsed.type,
          timestamp: Number(req.headers['x-webhook-timestamp']),
          signature: header,
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
          body,
          verified: secrets.some((s) => verifyWebhookSignature(header, body, s)),
        })
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
      }
      if (step === 'slow') setTimeout(answer, options.slowMs ?? 300)
      else answer()
    })
  }

  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer(handle)
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port
        resolve()
      })
    })
  const close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy()
      hanging.clear()
      server.closeAllConnections()
      server.close(() => resolve())
    })
  await listen()

  return {
    get url() {
      return `http://127.0.0.1:${port}/hooks`
    },
    plan,
    accepted,
    get attempts() {
      return attempts
    },
    /** The secrets a signature may be made with (the current one, and the previous during a rotation). */
    useSecrets: (list: string[]) => void (secrets = list),
    /** How many times each event id was accepted. */
    countsById: () => accepted.reduce((m, w) => m.set(w.id, (m.get(w.id) ?? 0) + 1), new Map<string, number>()),
    down: close,
    up: listen,
    close,
  }
}
export type FakeWebhookReceiver = Awaited<ReturnType<typeof startFakeWebhookReceiver>>
