import type { SQL } from 'drizzle-orm'
import type { DbOrTx } from './client'
import { isTransaction } from './group-commit'

/**
 * A hot query drizzle builds once per database instead of on every call. Building a select of a
 * wide table (the orders row: 25 columns) costs ~0.1 ms of CPU, three times what sending it and
 * reading the row cost once the statement is prepared; for the reads every payment update and
 * pre-checkout makes, that was the bulk of their database work. `build` returns drizzle's
 * `.prepare()` of the query with `sql.placeholder`s; run it with `.execute({ ... })`. On a
 * transaction it is built on that transaction each time (its statements must run on its
 * connection), as an ordinary query would be.
 */
export function preparedPer<Q>(build: (db: DbOrTx) => Q): (db: DbOrTx) => Q {
  const built = new WeakMap<DbOrTx, Q>()
  return (db) => {
    if (isTransaction(db)) return build(db)
    let query = built.get(db)
    if (!query) built.set(db, (query = build(db)))
    return query
  }
}

/** What drizzle's `db.execute` does inside, kept to be run again with new values. */
interface RawSession {
  session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: boolean): { execute(values?: Record<string, unknown>): Promise<unknown> } }
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } }
}

/**
 * A hand-written statement (`sql` with `sql.placeholder`s) built once per database, like
 * `preparedPer` for the query builders: `db.execute(sql)` turns the whole template into SQL text
 * and parameters on every call (~0.1 ms of CPU for a statement of 20 parts). Run it with
 * `.execute({ ... })`; the result is what `db.execute` answers (`rowsOf` reads both drivers'). It
 * goes through the same drizzle session `db.execute` uses (drizzle keeps that path internal; the
 * tests run it on both engines).
 */
export function preparedStatement(name: string, statement: SQL) {
  return preparedPer((db) => {
    const { session, dialect } = db as unknown as RawSession
    return session.prepareQuery(dialect.sqlToQuery(statement), undefined, name, false)
  })
}
