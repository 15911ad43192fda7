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
