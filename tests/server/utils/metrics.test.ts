import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { readAtMostEvery } from '../../../server/utils/metrics'

describe('figures read for a scrape at most so often', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('reads once per interval: scrapes in between, concurrent ones too, get the last reading', async () => {
    let reads = 0
    const read = readAtMostEvery(10_000, async (base: number) => base + ++reads)
    expect(await Promise.all([read(100), read(100), read(100)])).toEqual([101, 101, 101])
    vi.advanceTimersByTime(9_999)
    expect(await read(100)).toBe(101)
    vi.advanceTimersByTime(1)
    expect(await read(100)).toBe(102)
    expect(reads).toBe(2)
  })

  it('does not keep a failed reading: the next scrape reads again', async () => {
    let reads = 0
    const read = readAtMostEvery(10_000, async () => {
      reads++
      if (reads === 1) throw new Error('database busy')
      return reads
    })
    await expect(read(undefined)).rejects.toThrow('database busy')
    expect(await read(undefined)).toBe(2)
    expect(await read(undefined)).toBe(2)
  })
})
