import { signInitData } from '../../server/services/auth/init-data'

/** A Telegram user as it appears inside initData (snake_case, like Telegram sends it). */
export interface InitUser {
  id: number
  first_name: string
  last_name?: string
  username?: string
  language_code?: string
  is_premium?: boolean
  allows_write_to_pm?: boolean
  photo_url?: string
}

/** Init data signed like Telegram would sign it for `token` (the app's bot token, or another bot's). */
export function initDataFor(user: InitUser, token: string, options: { authDate?: Date; extra?: Record<string, string> } = {}) {
  return signInitData({ user: JSON.stringify(user), chat_type: 'private', chat_instance: '-4242', ...options.extra }, token, options.authDate ?? new Date())
}

/** `Authorization: tma <initData>` headers for `user`. */
export function tmaHeaders(user: InitUser, token: string, options: Parameters<typeof initDataFor>[2] = {}) {
  return { authorization: `tma ${initDataFor(user, token, options)}` }
}

/** The `name=value` part of a Set-Cookie header, for sending back as `Cookie`. */
export function cookieFrom(response: Response, name: string): string | undefined {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))
  return line?.split(';')[0]
}
