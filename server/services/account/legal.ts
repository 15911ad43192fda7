import { LegalDetailsSchema, type LegalDetails } from '#shared/schemas/account'
import type { DbOrTx } from '../../db/client'
import { write, type ServiceContext } from '../context'
import { getSetting, storeSetting } from '../settings'
import { DomainError } from '../../utils/errors'

export const LEGAL_DETAILS_SETTING = 'business.legal'

/** What a receipt prints until an owner fills the legal details in /admin settings. */
const PLACEHOLDER: LegalDetails = { legalName: '—', taxId: '—', address: '—', taxNote: '', receiptFooter: '' }

/** The business's legal details for receipts (seller, tax number, address, taxes line, footer). */
export async function getLegalDetails(db: DbOrTx): Promise<LegalDetails> {
  const stored = LegalDetailsSchema.safeParse(await getSetting(db, LEGAL_DETAILS_SETTING))
  return stored.success ? stored.data : PLACEHOLDER
}

/** Owners and admins set the legal details (audited with before and after); receipts issued later print them. */
export async function updateLegalDetails(ctx: ServiceContext, input: LegalDetails) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff change the legal details')
  return write(ctx, async (w) => {
    const before = await getLegalDetails(w.db)
    await storeSetting(w, LEGAL_DETAILS_SETTING, input)
    await w.audit({ action: 'setting.update', entityType: 'setting', entityId: LEGAL_DETAILS_SETTING, before, after: input })
    return input
  })
}
