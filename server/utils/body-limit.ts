import type { IncomingMessage } from 'node:http'
import type { H3Event } from 'h3'
import { ROUTES } from '../services/openapi/routes'
import { apiError } from './errors'

/**
 * Request bodies are counted as they arrive and cut off at the route's limit, before any handler
 * reads them: a Content-Length over the limit is refused before a byte is read, and a chunked body
 * (no Content-Length) is refused as soon as it passes the limit, so nobody can make the process
 * buffer more than one limit per request. The limits live beside each route's documentation
 * (`bodyLimit` in server/services/openapi/routes.ts, `x-body-limit` in the OpenAPI document).
 */

/** How long a refused body is still drained after the 413 before the socket is closed. */
const LINGER_MS = 2000

/**
 * How much of a refused body is still read and thrown away; past it the socket is left unread, so
 * TCP pushes back on the sender instead of the process reading at loopback speed for LINGER_MS.
 */
const LINGER_BYTES = 1024 * 1024

/** What any route accepts unless its entry in ROUTES says otherwise (JSON forms are a few KB). */
export const DEFAULT_BODY_LIMIT = 100 * 1024

type Matcher = { method: string; pattern: RegExp; limit: number }
let matchers: Matcher[] | undefined

function compile(): Matcher[] {
  return ROUTES.filter((route) => route.bodyLimit !== undefined).map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\w+\\\}/g, '[^/]+')}$`),
    limit: route.bodyLimit!,
  }))
}

/** The most bytes a request to `method path` may carry. */
export function bodyLimitFor(method: string, path: string): number {
  matchers ??= compile()
  const bare = path.split('?')[0]!
  return matchers.find((m) => m.method === method && m.pattern.test(bare))?.limit ?? DEFAULT_BODY_LIMIT
}

function hasBody(req: IncomingMessage) {
  const length = req.headers['content-length']
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined
}

/**
 * Refuses with 413 `payload_too_large`. Up to LINGER_BYTES more of the body is read and thrown
 * away (never kept), then reading stops; LINGER_MS after the answer the connection is dropped. A
 * client that is still sending gets to read the 413 instead of a connection reset, nobody can hold
 * the socket open by sending forever, and nobody can make the process read a refused body at
 * network speed. The FIN after the answer tells the client not to reuse the connection.
 */
function tooLarge(event: H3Event, limit: number) {
  const { req, res } = event.node
  let drained = 0
  const discard = (chunk: Buffer) => {
    drained += chunk.length
    if (drained <= LINGER_BYTES) return
    req.off('data', discard)
    req.pause()
  }
  req.on('data', discard)
  req.resume()
  res.once('finish', () => {
    req.socket.end()
    setTimeout(() => req.socket.destroy(), LINGER_MS).unref()
  })
  return apiError('payload_too_large', `The request body is larger than this route accepts (${limit} bytes)`, { limit })
}

/** Reads the body up to `limit` bytes into memory; past it, stops reading and throws 413. */
function readWithin(event: H3Event, limit: number): Promise<Buffer> {
  const req = event.node.req
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        chunks.length = 0
        reject(tooLarge(event, limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(apiError('bad_request', `The request body could not be read: ${error.message}`))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/**
 * The global check, run before every handler: reads the body within the route's limit and hands it
 * to h3 (`readBody`, `readRawBody`, `readMultipartFormData` use it instead of the stream).
 */
export async function enforceBodyLimit(event: H3Event): Promise<void> {
  const req = event.node.req
  if (!hasBody(req)) return
  const limit = bodyLimitFor(event.method, event.path)
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(event, limit)
  // h3's readRawBody takes a body already read from `_requestBody` (typed for web bodies; a Buffer is what it checks first).
  event._requestBody = (await readWithin(event, limit)) as unknown as typeof event._requestBody
}
