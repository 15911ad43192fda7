import { randomUUID } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import { DomainError } from '../../utils/errors'

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024

const SIGNATURES: { type: string; ext: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/webp', ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'image/gif', ext: 'gif', test: (b) => b.subarray(0, 6).toString('latin1') === 'GIF89a' || b.subarray(0, 6).toString('latin1') === 'GIF87a' },
]

/** The image type from the file's own bytes; the name and the declared type are not trusted. */
export function detectImageType(bytes: Buffer) {
  return SIGNATURES.find((s) => s.test(bytes))
}

/** Files kept under DATA_DIR/files and served at /files/...; one folder per kind. */
export function createFileStore(dataDir: string) {
  const root = resolve(dataDir, 'files')
  return {
    async saveImage(kind: 'products' | 'forms', bytes: Buffer) {
      if (bytes.length > MAX_IMAGE_BYTES) throw new DomainError('payload_too_large', 'Images can be up to 5 MB', 413)
      const type = detectImageType(bytes)
      if (!type) throw new DomainError('unsupported_media_type', 'Upload a JPEG, PNG, WebP or GIF image', 415)
      const name = `${randomUUID()}.${type.ext}`
      await mkdir(join(root, kind), { recursive: true })
      await writeFile(join(root, kind, name), bytes, { flag: 'wx' })
      return { path: `/files/${kind}/${name}`, type: type.type, size: bytes.length }
    },
    /** Reads a stored file by its public path; anything outside the store is "not found". */
    async read(publicPath: string) {
      const full = resolve(root, publicPath.replace(/^\/?files\//, ''))
      if (!full.startsWith(root + sep)) return undefined
      const bytes = await readFile(full).catch(() => undefined)
      if (!bytes) return undefined
      return { bytes, type: detectImageType(bytes)?.type ?? 'application/octet-stream' }
    },
  }
}
