import { z } from 'zod'
import { text } from './common'
import { ROLES, type Role } from '../permissions'

import { LOCALES, type Locale } from '../locale'

export { LOCALES, type Locale }

/** The user as `GET /api/me` returns it: Telegram's fields plus the locale the app speaks to them in. */
export interface MeUser {
  id: number
  firstName: string
  lastName: string | null
  username: string | null
  languageCode: string | null
  locale: Locale
  photoUrl: string | null
  isPremium: boolean
  allowsWriteToPm: boolean
}

/** `GET /api/me` and `PATCH /api/me`. */
export interface MeResponse {
  user: MeUser
  roles: Role[]
  startParam: string | null
}

/** `PATCH /api/me`: the locale the user picked in the app. */
export const UpdateMeSchema = z.object({ locale: z.enum(LOCALES) })
export type UpdateMeInput = z.infer<typeof UpdateMeSchema>

/** `POST /api/auth/admin-link`: the token from the bot's one-time sign-in link. */
export const AdminLinkSchema = z.object({ token: text().regex(/^[A-Za-z0-9_-]{20,128}$/, 'not a sign-in token') })

/** `GET /api/auth/session`: who is signed in to /admin and the CSRF token for cookie writes. */
export interface AdminSessionResponse {
  user: MeUser
  roles: Role[]
  permissions: string[]
  via: 'tma' | 'session'
  /** Send back as `X-CSRF-Token` on every cookie-authenticated write; null when signed in with initData. */
  csrfToken: string | null
  expiresAt: string | null
}

export const RoleSchema = z.enum(ROLES)

/** `GET /api/admin/users?search=&role=` */
export const AdminUsersQuerySchema = z.object({
  search: text().trim().max(100).optional(),
  role: RoleSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const UserIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
export const UserRoleParamsSchema = UserIdParamsSchema.extend({ role: RoleSchema })

/** `POST /api/admin/users/[id]/roles` */
export const GrantRoleSchema = z.object({ role: RoleSchema })

export interface AdminUserItem {
  user: MeUser
  roles: Role[]
  lastSeenAt: string
}
