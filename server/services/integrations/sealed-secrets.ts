/**
 * Secrets the app must read back to use (a webhook's signing secret) are stored sealed: AES-256-GCM
 * under a key derived from the installation secret (SESSION_SECRET in production, kept outside the
 * database), so a database dump or a backup does not hand out the secrets partners verify us by.
 * A value stored before sealing existed (no prefix) is read as it is and sealed at its next rotation.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const PREFIX = 'sealed:v1:'

/** The installation secret changed (or the value was tampered with): the stored secret cannot be read. */
export class SecretUnreadableError extends Error {
  constructor() {
    super('the stored secret cannot be opened with this installation secret (SESSION_SECRET changed?): rotate it in /admin')
    this.name = 'SecretUnreadableError'
  }
}

const keyOf = (material: string) => Buffer.from(hkdfSync('sha256', material, 'tma-platform', 'stored-secrets/v1', 32))

export function sealSecret(secret: string, material: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyOf(material), iv)
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')
}

export function openSecret(stored: string, material: string): string {
  if (!stored.startsWith(PREFIX)) return stored
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url')
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(material), raw.subarray(0, 12))
    decipher.setAuthTag(raw.subarray(12, 28))
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    throw new SecretUnreadableError()
  }
}
