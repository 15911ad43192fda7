import { sql, type SQL } from 'drizzle-orm'
import { bookings } from '../../db/schema/booking'

/** Customers who booked any of these services (confirmed or attended; a subquery of user ids, for segments). */
export function bookersSql(serviceIds: readonly number[]): SQL {
  if (!serviceIds.length) return sql`select null::bigint where false`
  return sql`select ${bookings.userId} from ${bookings} where ${bookings.status} in ('confirmed', 'done') and ${bookings.serviceId} in (${sql.join(serviceIds.map((id) => sql`${id}`), sql`, `)})`
}
