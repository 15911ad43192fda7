import { sql, type SQL } from 'drizzle-orm'
import { customerProfiles } from '../../db/schema/account'

/** Customers who opted in to news (the `news` notification kind is off unless they turned it on). A subquery of user ids. */
export function newsSubscribersSql(): SQL {
  return sql`select ${customerProfiles.userId} from ${customerProfiles} where (${customerProfiles.notifications} ->> 'news') = 'true'`
}
