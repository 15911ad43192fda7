import { BusinessProfileSchema, type BusinessProfile } from '#shared/schemas/business'
import type { DbOrTx } from '../../db/client'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { getSetting, storeSetting } from './index'

export const BUSINESS_PROFILE_SETTING = 'business.profile'

/**
 * What a business that has not filled its profile in yet shows: nothing made up. The demo seed
 * stores its coffee shop here; a production start without demo data stores nothing, and the
 * overview in /admin asks the owner to fill it in.
 */
const BLANK = (): BusinessProfile => ({
  name: { ru: '', en: '' },
  tagline: { ru: '', en: '' },
  catalogTitle: { ru: '', en: '' },
  menuHint: { ru: '', en: '' },
  address: { ru: '', en: '' },
  phone: '',
  hours: { ru: '', en: '' },
  timezone: 'Europe/Moscow',
  country: '',
})

/** The stored profile (`configured`), or a blank one until the owner saves it. */
export async function getBusinessProfile(db: DbOrTx): Promise<BusinessProfile & { configured: boolean }> {
  const stored = await getSetting<unknown>(db, BUSINESS_PROFILE_SETTING)
  if (stored === undefined) return { ...BLANK(), configured: false }
  // Kept leniently: a profile stored before a field existed takes that field's blank.
  const parsed = BusinessProfileSchema.safeParse({ ...BLANK(), ...(stored as object) })
  return { ...(parsed.success ? parsed.data : BLANK()), configured: parsed.success }
}

/**
 * The owner saves the profile (audited with before and after). Every replica shows it within a
 * second (settings NOTIFY); public pages cached with it are dropped by the same signal.
 */
export async function updateBusinessProfile(ctx: ServiceContext, input: BusinessProfile): Promise<BusinessProfile & { configured: true }> {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff change the business profile')
  return write(ctx, async (w) => {
    const stored = await getSetting<Record<string, unknown>>(w.db, BUSINESS_PROFILE_SETTING)
    const { configured: _configured, ...before } = await getBusinessProfile(w.db)
    // Keys this form does not edit (the demo's currency) stay as they were.
    await storeSetting(w, BUSINESS_PROFILE_SETTING, { ...stored, ...input })
    await w.audit({ action: 'setting.update', entityType: 'setting', entityId: BUSINESS_PROFILE_SETTING, before: stored === undefined ? null : before, after: input })
    return { ...input, configured: true as const }
  })
}
