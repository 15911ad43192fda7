import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

const KEY = /^[0-9a-f-]{36}\.(pdf|jpg|png)$/

/** The folder under DATA_DIR/files that holds customers' documents; the public /files route never serves it. */
export const PRIVATE_DOCUMENTS_FOLDER = 'documents'

/**
 * The customers' documents: DATA_DIR/files/documents, so backups carry them with the other files,
 * while the public /files route refuses that folder (server/services/files): a file is only ever
 * served by the account's authorised routes. Names are random; nothing is derived from the user.
 */
export function createDocumentStore(dataDir: string) {
  const root = resolve(dataDir, 'files', PRIVATE_DOCUMENTS_FOLDER)
  const path = (key: string) => {
    if (!KEY.test(key)) throw new Error('not a document key')
    return join(root, key)
  }
  return {
    async save(bytes: Uint8Array, ext: 'pdf' | 'jpg' | 'png') {
      const key = `${randomUUID()}.${ext}`
      // The folder is made on the first save, and again if it went (a restore replaces DATA_DIR/files).
      await writeFile(path(key), bytes, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
        await mkdir(root, { recursive: true })
        await writeFile(path(key), bytes, { flag: 'wx' })
      })
      return key
    },
    read: (key: string) => readFile(path(key)).catch(() => undefined),
    remove: (key: string) => rm(path(key), { force: true }),
  }
}
export type DocumentStore = ReturnType<typeof createDocumentStore>

/** What an uploaded document is, from its own bytes (the name and declared type are not trusted). */
export function detectDocumentType(bytes: Uint8Array): { mime: string; ext: 'pdf' | 'jpg' | 'png' } | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8))
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return { mime: 'application/pdf', ext: 'pdf' }
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' }
  if (b.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { mime: 'image/png', ext: 'png' }
  return undefined
}
