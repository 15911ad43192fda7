import { describe, expect, it } from 'vitest'
import { answeredWithin, infrastructureFailure } from '../../../server/utils/infrastructure'

describe('answeredWithin', () => {
  it('passes an answer that comes in time through, and its failure as it is', async () => {
    expect(await answeredWithin(Promise.resolve(7), 50)).toBe(7)
    const own = new Error('duplicate key')
    await expect(answeredWithin(Promise.reject(own), 50)).rejects.toBe(own)
  })

  it('fails as the database being unavailable when no answer comes in time', async () => {
    const never = new Promise<number>(() => {})
    const error = await answeredWithin(never, 20).catch((e: unknown) => e)
    expect(infrastructureFailure(error)).toBe('database_unavailable')
  })
})
