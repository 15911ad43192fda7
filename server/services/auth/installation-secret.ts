import { randomBytes } from 'node:crypto'
import type { DbOrTx } from '../../db/client'
import type { AppConfig } from '../../utils/config'
import { ensureSetting } from '../settings'

const cached = new WeakMap<object, Promise<string>>()

/**
 * SESSION_SECRET, or one generated once per installation and kept in app_settings so replicas
 * agree. It seals the /admin session cookie and the stored webhook signing secrets. In production
 * with a real bot SESSION_SECRET is required, so it lives outside the database and its backups.
 */
export function installationSecret(deps: { db: DbOrTx; config: Pick<AppConfig, 'sessionSecret'> }): Promise<string> {
  if (deps.config.sessionSecret) return Promise.resolve(deps.config.sessionSecret)
  let secret = cached.get(deps.db)
  if (!secret) {
    secret = ensureSetting(deps.db, 'auth.session_secret', () => randomBytes(32).toString('base64url'))
    secret.catch(() => cached.delete(deps.db))
    cached.set(deps.db, secret)
  }
  return secret
}
