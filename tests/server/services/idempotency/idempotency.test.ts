import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { requestFingerprint, runIdempotent } from '../../../../server/services/idempotency'
import { DomainError } from '../../../../server/utils/errors'
import { createTestDatabase, engine } from '../../../helpers/db'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
})
afterAll(() => handle?.close())

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: DomainError) => `${error.status} ${error.code}`)

describe(`Idempotency-Key (${engine})`, () => {
  it('binds a key to its request: a retry runs as a retry, another request with the same key is 422 and runs nothing', async () => {
    let runs = 0
    const order = (request: unknown) => runIdempotent(handle.db, { scope: 'orders.create:user:1', key: 'key-0001', request }, async () => ++runs)
    expect(await order({ items: [1, 2], note: 'a' })).toEqual({ value: 1, replayed: false })
    // Same content, keys in another order: a retry (execute mode runs the operation, which finds its first result).
    expect(await order({ note: 'a', items: [1, 2] })).toEqual({ value: 2, replayed: true })
    expect(await codeOf(order({ items: [1, 2], note: 'b' }))).toBe('422 idempotency_key_reused')
    expect(runs).toBe(2)
    // Another customer's key with the same text is theirs alone.
    expect(await runIdempotent(handle.db, { scope: 'orders.create:user:2', key: 'key-0001', request: { x: 1 } }, async () => 'theirs')).toEqual({ value: 'theirs', replayed: false })
  })

  it('releases the key when the first attempt fails, so a corrected request may use it', async () => {
    const attempt = (request: unknown, fail: boolean) =>
      runIdempotent(handle.db, { scope: 'orders.create:user:3', key: 'key-0002', request }, async () => {
        if (fail) throw new DomainError('cart_changed', 'prices changed', 409)
        return 'placed'
      })
    expect(await codeOf(attempt({ v: 1 }, true))).toBe('409 cart_changed')
    expect(await attempt({ v: 2 }, false)).toEqual({ value: 'placed', replayed: false })
    expect(await codeOf(attempt({ v: 1 }, false))).toBe('422 idempotency_key_reused')
  })

  it('stored mode runs the operation once and answers repeats with the stored result; a repeat while it runs is 409', async () => {
    let runs = 0
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const call = () =>
      runIdempotent(handle.db, { scope: 'partner.sync', key: 'key-0003', request: { sku: 'A' } }, async () => {
        runs++
        await gate
        return { synced: runs }
      }, { replay: 'stored' })
    const first = call()
    await new Promise((r) => setTimeout(r, 50))
    expect(await codeOf(call())).toBe('409 idempotency_key_in_use')
    release()
    expect(await first).toEqual({ value: { synced: 1 }, replayed: false })
    expect(await call()).toEqual({ value: { synced: 1 }, replayed: true })
    expect(runs).toBe(1)
  })

  it('fingerprints requests canonically (key order and undefined fields do not matter, values do)', () => {
    expect(requestFingerprint({ a: 1, b: { c: [1, { d: 2, e: 3 }] }, z: undefined })).toBe(requestFingerprint({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }))
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: '1' }))
  })
})
