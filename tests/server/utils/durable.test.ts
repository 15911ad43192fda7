import { describe, expect, it } from 'vitest'
import { untilStored } from '../../../server/utils/durable'

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })

describe('untilStored: the record of something already done waits out a database outage', () => {
  it('tries again while the database is unreachable and returns what the write returned', async () => {
    let calls = 0
    const waited: unknown[] = []
    const result = await untilStored(
      async () => {
        calls++
        if (calls < 4) throw new Error('Failed query', { cause: refused() })
        return 'stored'
      },
      { everyMs: 5, onWait: (error) => waited.push(error) },
    )
    expect(result).toBe('stored')
    expect(calls).toBe(4)
    expect(waited).toHaveLength(1)
  })

  it('throws any other error at once (a constraint, a bug): those do not heal by waiting', async () => {
    let calls = 0
    const duplicate = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })
    await expect(untilStored(async () => { calls++; throw duplicate }, { everyMs: 5 })).rejects.toBe(duplicate)
    expect(calls).toBe(1)
  })

  it('gives up after maxMs with the last error', async () => {
    let calls = 0
    await expect(untilStored(async () => { calls++; throw refused() }, { everyMs: 5, maxMs: 40 })).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    expect(calls).toBeGreaterThan(2)
  })
})
