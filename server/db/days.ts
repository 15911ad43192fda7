import { sql, type SQL } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { DbOrTx } from './client'
import { rowsOf } from './results'

/** Calendar days `from`..`to` (both included, `YYYY-MM-DD`) in the business's time zone. */
export interface DayRange {
  from: string
  to: string
  timezone: string
}

/** How many rows (or distinct `distinct` values) fall on each day of the range, by the instant column `at`. Days without any are left out. */
export async function countPerDay(db: DbOrTx, source: { table: PgTable; at: AnyPgColumn; where?: SQL; distinct?: AnyPgColumn }, range: DayRange): Promise<Map<string, number>> {
  const { timezone } = range
  const from = sql`(${range.from}::date)::timestamp at time zone ${timezone}`
  const to = sql`(${range.to}::date + 1)::timestamp at time zone ${timezone}`
  const counted = source.distinct ? sql`count(distinct ${source.distinct})` : sql`count(*)`
  const rows = rowsOf<{ day: string; n: number | string }>(
    await db.execute(sql`
      select to_char(${source.at} at time zone ${timezone}, 'YYYY-MM-DD') as day, ${counted}::int as n
      from ${source.table}
      where ${source.at} >= ${from} and ${source.at} < ${to}${source.where ? sql` and ${source.where}` : sql``}
      group by 1`),
  )
  return new Map(rows.map((r) => [r.day, Number(r.n)]))
}
