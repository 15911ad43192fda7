import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDocumentStore } from '../../../../server/services/account/document-store'

const dataDir = mkdtempSync(join(tmpdir(), 'tma-documents-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('the document store', () => {
  it('saves into a folder it makes itself, again after the folder went (a restore)', async () => {
    const store = createDocumentStore(dataDir)
    const first = await store.save(new Uint8Array([37, 80, 68, 70, 45, 1]), 'pdf')
    expect(first).toMatch(/^[0-9a-f-]{36}\.pdf$/)
    expect([...(await store.read(first))!]).toEqual([37, 80, 68, 70, 45, 1])
    rmSync(join(dataDir, 'files'), { recursive: true })
    const second = await store.save(new Uint8Array([0xff, 0xd8, 0xff]), 'jpg')
    expect([...(await store.read(second))!]).toEqual([0xff, 0xd8, 0xff])
    expect(await store.read(first)).toBeUndefined()
    await store.remove(second)
    expect(await store.read(second)).toBeUndefined()
  })

  it('refuses a key that is not one of its own names', () => {
    const store = createDocumentStore(dataDir)
    expect(() => store.read('../../etc/passwd')).toThrow('not a document key')
  })
})
