/**
 * Reading results the same way on both drivers: postgres.js answers `db.execute()` with an array of
 * rows, PGlite with `{ rows }`; both report constraint violations with the SQLSTATE, wrapped by
 * Drizzle in `cause`.
 */

/** The rows of a `db.execute()` result, whichever driver ran it. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows
}

/** The first row of a `db.execute()` result, if any. */
export const firstRow = <T>(result: unknown): T | undefined => rowsOf<T>(result)[0]

/** Whether `error` is a unique violation (SQLSTATE 23505), of the named constraint or index when given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; message?: string; cause?: unknown }
  const inner = (e?.cause ?? e) as typeof e
  if (inner?.code !== '23505') return false
  return constraint === undefined || inner.constraint_name === constraint || inner.constraint === constraint || String(inner.message).includes(constraint)
}

/** Whether `error` is a foreign-key violation (SQLSTATE 23503, or 23001 for RESTRICT): a row still points at the one being removed. */
export function isForeignKeyViolation(error: unknown): boolean {
  // Drizzle wraps the driver's error (sometimes twice): look down the cause chain.
  for (let e = error as { code?: string; cause?: unknown; message?: string } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    // 23503 foreign_key_violation; 23001 restrict_violation (what newer PostgreSQL, e.g. PGlite's 18, says for ON DELETE RESTRICT).
    if (e.code === '23503' || e.code === '23001' || /violates (foreign key constraint|RESTRICT setting)/.test(String(e.message))) return true
  }
  return false
}

/** Whether `error` is an exclusion-constraint violation (SQLSTATE 23P01): two rows claimed the same thing, e.g. one seat at one time. */
export function isExclusionViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: unknown }
  const inner = (e?.cause ?? e) as typeof e
  return inner?.code === '23P01'
}

/** Whether PostgreSQL broke a lock cycle by aborting this transaction (SQLSTATE 40P01): safe to try again. */
export function isDeadlock(error: unknown): boolean {
  const e = error as { code?: string; cause?: unknown }
  const inner = (e?.cause ?? e) as typeof e
  return inner?.code === '40P01'
}
