import { z } from 'zod'
import { describeMe } from './me.get'

const MePatchBody = z.object({ locale: z.enum(['ru', 'en']) })

/**
 * TEMPORARY `PATCH /api/me {locale}` for the shell branch: validates the body and answers the
 * contract's shape with the new locale, without storing it (the auth module's version persists it).
 */
export default defineEventHandler(async (event) => {
  const { locale } = await readValidatedBody(event, MePatchBody.parse)
  return describeMe(event, locale)
})
