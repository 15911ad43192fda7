import { sql, type SQL } from 'drizzle-orm'
import { users } from '../../db/schema/auth'
import type { Locale } from '#shared/locale'

/** `resolveLocale(locale, language_code)` in SQL (shared/locale.ts): the chosen locale, else ru for Russian readers, else en. */
export const userLocaleSql = sql<Locale>`case when ${users.locale} in ('ru', 'en') then ${users.locale} when ${users.languageCode} ~* '^(ru|uk|be|kk)([^A-Za-z0-9_]|$)' then 'ru' else 'en' end`

/**
 * The users a bot message may go to, as `select telegram_id, locale`: not blocked the bot, in every
 * `allOf` subquery of user ids, in at least one `anyOf` subquery when there are any, of these
 * locales, seen within `lastSeenDays`.
 */
export function reachableUsersSql(filter: { allOf: SQL[]; anyOf: SQL[]; locales: readonly Locale[]; lastSeenDays: number | null }): SQL {
  const where: SQL[] = [sql`${users.blockedBotAt} is null`]
  for (const set of filter.allOf) where.push(sql`${users.telegramId} in (${set})`)
  if (filter.anyOf.length) where.push(sql`(${sql.join(filter.anyOf.map((set) => sql`${users.telegramId} in (${set})`), sql` or `)})`)
  if (filter.locales.length) where.push(sql`${userLocaleSql} in (${sql.join(filter.locales.map((l) => sql`${l}`), sql`, `)})`)
  if (filter.lastSeenDays !== null) where.push(sql`${users.lastSeenAt} >= now() - make_interval(days => ${filter.lastSeenDays}::int)`)
  return sql`select ${users.telegramId} as user_id, ${userLocaleSql} as locale from ${users} where ${sql.join(where, sql` and `)}`
}
