import { describe, expect, it } from 'vitest'
import { clientAddress } from '../../../server/utils/client-ip'

describe('clientAddress (TRUST_PROXY=<hops>)', () => {
  it('uses the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('10.0.0.5', '1.2.3.4', 0)).toBe('10.0.0.5')
  })

  it('takes the entry exactly <hops> from the right, so a client-set X-Forwarded-For is ignored', () => {
    // client -> load balancer (appends the client's address) -> app
    expect(clientAddress('10.0.0.2', '203.0.113.7', 1)).toBe('203.0.113.7')
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7')
    expect(clientAddress('10.0.0.2', ['6.6.6.6', '7.7.7.7, 203.0.113.7'], 1)).toBe('203.0.113.7')
    // client -> CDN -> load balancer -> app
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.7, 198.51.100.9', 2)).toBe('203.0.113.7')
  })

  it('falls back to the leftmost entry when fewer proxies answered than configured', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.7', 3)).toBe('203.0.113.7')
    expect(clientAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2')
  })
})
