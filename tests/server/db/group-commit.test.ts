import { describe, expect, it } from 'vitest'
import { GroupCommit } from '../../../server/db/group-commit'

/** A fake statement: records each batch it was sent, answers after a tick. */
function recorder(fail?: (inputs: number[]) => Error | undefined) {
  const batches: number[][] = []
  const commit = new GroupCommit(
    async (inputs: number[]) => {
      batches.push(inputs)
      await new Promise((r) => setTimeout(r, 5))
      const error = fail?.(inputs)
      if (error) throw error
      return inputs.map((n) => n * 10)
    },
    { maxBatch: 10, isolate: (error) => (error as Error).message === 'row' },
  )
  return { batches, commit }
}

describe('group commit', () => {
  it('sends a lone call at once, on its own', async () => {
    const { batches, commit } = recorder()
    expect(await commit.submit(1)).toBe(10)
    expect(batches).toEqual([[1]])
  })

  it('sends the calls that arrive while a statement is in flight together, at most maxBatch at a time, each answered with its own result', async () => {
    const { batches, commit } = recorder()
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => commit.submit(i)))
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i * 10))
    // The first goes alone; the 24 that queued behind it go as 10 + 10 + 4.
    expect(batches.map((b) => b.length)).toEqual([1, 10, 10, 4])
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i))
  })

  it('fails every call of a statement the database refused as a whole', async () => {
    const { commit } = recorder(() => new Error('database down'))
    const results = await Promise.allSettled([1, 2, 3].map((n) => commit.submit(n)))
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
  })

  it('sends a statement refused for one of its rows again call by call: only that call fails', async () => {
    const { batches, commit } = recorder((inputs) => (inputs.includes(3) ? new Error('row') : undefined))
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => commit.submit(n)))
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([10, 20, 'failed', 40])
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]])
  })

  it('goes on after a failed statement', async () => {
    let down = true
    const commit = new GroupCommit(async (inputs: number[]) => {
      if (down) throw new Error('database down')
      return inputs
    }, { maxBatch: 10, isolate: () => false })
    await expect(commit.submit(1)).rejects.toThrow('database down')
    down = false
    expect(await commit.submit(2)).toBe(2)
  })

  it('does not hold later calls behind a statement that hangs: they go in a new statement while it carries on', async () => {
    const batches: number[][] = []
    let release: (() => void) | undefined
    const commit = new GroupCommit(async (inputs: number[]) => {
      batches.push(inputs)
      // The first statement hangs (a dead connection) until released; the others answer at once.
      if (inputs.includes(1)) await new Promise<void>((r) => (release = r))
      return inputs
    }, { maxBatch: 10, isolate: () => false, patienceMs: 50 })
    const hung = commit.submit(1)
    const later = await Promise.all([commit.submit(2), commit.submit(3)])
    expect(later).toEqual([2, 3])
    expect(batches).toEqual([[1], [2, 3]])
    expect(await commit.submit(4)).toBe(4)
    // The hung statement's own call is answered when it finally settles.
    release!()
    expect(await hung).toBe(1)
  })
})
