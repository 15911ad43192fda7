import { getRequestHeader, type H3Event } from 'h3'

/**
 * The client's address when `hops` proxies stand in front of the app. Each proxy appends the
 * address it was called from to X-Forwarded-For, so only the rightmost `hops` entries (the last
 * one being the socket's peer) were written by machines we trust; everything left of them is
 * whatever the client chose to send. We take the entry exactly `hops` steps from the right of
 * `[...X-Forwarded-For, socket address]`, never the first one: a client that sends its own
 * X-Forwarded-For only pushes its fake entries further left, where nobody reads them.
 * With fewer entries than hops (a proxy missing), the leftmost one is the best we have.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, hops: number): string | undefined {
  if (hops <= 0) return socketAddress
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')
  const chain = [
    ...header
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    ...(socketAddress ? [socketAddress] : []),
  ]
  if (!chain.length) return undefined
  return chain[Math.max(0, chain.length - 1 - hops)]
}

/** The request's client IP under TRUST_PROXY=<hops> (see `clientAddress`). */
export function requestClientIp(event: H3Event, hops: number): string | undefined {
  return clientAddress(event.node.req.socket?.remoteAddress, getRequestHeader(event, 'x-forwarded-for'), hops)
}
