/**
 * The production server: Nitro's node-server entry (nitropack's presets/node/runtime/node-server)
 * with one change, how it listens. nuxt.config.ts makes it the entry of production builds; `nuxt
 * dev` keeps Nitro's own.
 *
 * Node (libuv since 2022) accepts one connection per turn of the event loop. Under a flood a turn
 * lasts as long as the requests that are ready take (500 searches: ~50 ms), so new connections
 * were let in at ~20 a second: a visitor arriving during a promo's burst waited seconds for the
 * first byte, some more than 10 s, and the kernel's accept queue (Node's default backlog, 511)
 * overflowed. Here LISTENERS sockets share the port (SO_REUSEPORT; the kernel spreads new
 * connections over them), each accepting one per turn, all handing their connections to the one
 * HTTP server; and each queue holds up to 4,096 (the kernel caps it at net.core.somaxconn).
 * bench/README.md has the figures.
 *
 * And two additions: a request for a URL whose answer is kept as a hot answer (the catalog's public
 * reads, server/utils/hot-answers.ts) is answered here, before h3; and every request is counted
 * (server/utils/foreground.ts: work that can wait does, while requests keep the process busy).
 */
// @ts-expect-error -- Nitro's virtual module (the preset's polyfills; none for node), typed nowhere
import '#nitro-internal-pollyfills'
import { Server as HttpServer } from 'node:http'
import { Server as HttpsServer } from 'node:https'
import { createServer, type ListenOptions, type Server as TcpServer } from 'node:net'
import destr from 'destr'
import { toNodeListener } from 'h3'
import { useNitroApp, useRuntimeConfig } from 'nitropack/runtime'
import { setupGracefulShutdown, trapUnhandledNodeErrors } from 'nitropack/runtime/internal/index'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { answerHot, serveHotAnswers } from '#server/utils/hot-answers'
import { requestArrived } from '#server/utils/foreground'

/** Sockets listening on the port: up to this many new connections let in per turn of the loop. */
const LISTENERS = 16
const BACKLOG = 4096

const cert = process.env.NITRO_SSL_CERT
const key = process.env.NITRO_SSL_KEY
const nitroApp = useNitroApp()
const h3Listener = toNodeListener(nitroApp.h3App)
serveHotAnswers()
const listener = (req: IncomingMessage, res: ServerResponse) => {
  requestArrived()
  if (!answerHot(req, res)) return h3Listener(req, res)
}
const server = cert && key ? new HttpsServer({ key, cert }, listener) : new HttpServer(listener)
const portSetting = destr<number | string | undefined>(process.env.NITRO_PORT || process.env.PORT)
const port = portSetting === 0 ? 0 : Number(portSetting) || 3000
const host = process.env.NITRO_HOST || process.env.HOST
const path = process.env.NITRO_UNIX_SOCKET
// SO_REUSEPORT spreads connections over the sockets on Linux; elsewhere (and on a unix socket) one socket.
const spread = !path && process.platform === 'linux' && !(cert && key)

/** The extra sockets: raw TCP listeners that hand each connection to the HTTP server, as Node documents. */
const extra: TcpServer[] = []

function listening() {
  const address = server.address()
  if (typeof address === 'string' || !address) {
    console.log(`Listening on unix socket ${address}`)
    return
  }
  const protocol = cert && key ? 'https' : 'http'
  const baseURL = (useRuntimeConfig().app.baseURL || '').replace(/\/$/, '')
  console.log(`Listening on ${protocol}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}${baseURL}`)
}

function fail(error: Error) {
  console.error(error)
  process.exit(1)
}

server.once('error', fail)
server.listen(path ? { path, backlog: BACKLOG } : { port, host, backlog: BACKLOG, reusePort: spread }, () => {
  if (!spread) return listening()
  // The first socket picked the port when PORT=0; the others join it.
  const bound = (server.address() as { port: number }).port
  const options: ListenOptions = { port: bound, host, backlog: BACKLOG, reusePort: true }
  let pending = LISTENERS - 1
  for (let i = 0; i < LISTENERS - 1; i++) {
    // http.Server's own defaults for its sockets: Nagle off, no TCP keep-alive probes.
    const listener = createServer({ noDelay: true }, (socket) => server.emit('connection', socket))
    listener.once('error', fail)
    extra.push(listener)
    listener.listen(options, () => {
      if (--pending === 0) listening()
    })
  }
})
// A graceful shutdown closes the HTTP server first: the extra sockets stop accepting with it.
const close = server.close.bind(server)
server.close = ((callback?: (error?: Error) => void) => {
  for (const listener of extra) listener.close()
  return close(callback)
}) as typeof server.close

trapUnhandledNodeErrors()
setupGracefulShutdown(server, nitroApp)

export default {}
