import { listFillableForms } from '#server/services/forms'
import { toFormSummaryDto } from '#server/services/forms/dto'

/** The forms this person may fill (field staff also see their staff forms). */
export default defineEventHandler(async (event) => {
  const ctx = await fillerContext(event)
  return { items: (await listFillableForms(ctx)).map(toFormSummaryDto) }
})
