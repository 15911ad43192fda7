import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres, type DatabaseHandle } from '../../../server/db/client'
import { recordAudit } from '../../../server/services/audit'
import { verifyAuditChain } from '../../../server/services/audit/chain'
import { createPostgresDatabase, engine } from '../../helpers/db'

/**
 * The production setup of docs/audit-log.md on a real PostgreSQL: migrations run as the owner
 * role, the app as a runtime role that can add audit entries (the chain grows through the
 * SECURITY DEFINER trigger) but cannot change, delete or truncate them, switch a trigger off or
 * skip triggers with session_replication_role.
 */
describe.runIf(engine === 'postgres')('audit log under a separate runtime role (PostgreSQL)', () => {
  const suffix = `${process.pid}_${Date.now() % 100000}`
  const owner = `tma_owner_${suffix}`
  const runtime = `tma_app_${suffix}`
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>
  let admin: postgres.Sql
  let asOwner: DatabaseHandle
  let asApp: DatabaseHandle
  const urlAs = (role: string) => {
    const url = new URL(database.url)
    url.username = role
    url.password = ''
    return url.toString()
  }

  beforeAll(async () => {
    database = await createPostgresDatabase()
    admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create role ${owner} login; create role ${runtime} login nosuperuser nocreaterole nocreatedb`)
    const dbName = new URL(database.url).pathname.slice(1)
    const inDatabase = postgres(database.url, { max: 1, onnotice: () => {} })
    await inDatabase.unsafe(`alter database ${dbName} owner to ${owner}; alter schema public owner to ${owner}; revoke create on schema public from public; revoke create on database ${dbName} from public`)
    await inDatabase.end()
    asOwner = await openPostgres(urlAs(owner))
    await asOwner.migrate()
    await asOwner.db.execute(sql.raw(`
      grant usage on schema public, drizzle to ${runtime};
      grant select on drizzle.__drizzle_migrations to ${runtime};
      grant select, insert, update, delete on all tables in schema public to ${runtime};
      grant usage, select on all sequences in schema public to ${runtime};
      revoke update, delete, truncate, trigger, references on audit_entries from ${runtime};
      revoke all on audit_chain_heads from ${runtime};
      grant select on audit_chain_heads to ${runtime};`))
    asApp = await openPostgres(urlAs(runtime))
  }, 60_000)
  afterAll(async () => {
    await asApp?.close()
    await asOwner?.close()
    await database?.drop()
    await admin?.unsafe(`drop role if exists ${runtime}; drop role if exists ${owner}`)
    await admin?.end()
  })

  const refusal = (statement: string) =>
    asApp.db.execute(sql.raw(statement)).then(
      () => 'allowed',
      (error) => String((error.cause ?? error).message),
    )

  it('lets the runtime role start (no pending migration) and append to the chain', async () => {
    await asApp.migrate()
    for (let n = 1; n <= 3; n++) await recordAudit(asApp.db, { actorId: 1, actorVia: 'system', action: 'test.append', entityType: 'test', entityId: n })
    expect(await verifyAuditChain(asApp.db)).toMatchObject({ ok: true, entries: 3 })
  })

  it('refuses every way the runtime role could rewrite history', async () => {
    expect(await refusal('update audit_entries set action = $$x$$')).toMatch(/permission denied/)
    expect(await refusal('delete from audit_entries')).toMatch(/permission denied/)
    expect(await refusal('truncate audit_entries')).toMatch(/permission denied/)
    expect(await refusal('alter table audit_entries disable trigger audit_entries_no_update_delete')).toMatch(/must be owner/)
    expect(await refusal('set session_replication_role = replica')).toMatch(/permission denied/)
    expect(await refusal('update audit_chain_heads set seq = 0')).toMatch(/permission denied/)
    expect(await verifyAuditChain(asApp.db)).toMatchObject({ ok: true, entries: 3 })
  })
})
