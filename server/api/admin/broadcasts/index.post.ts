import { createBroadcast } from '#server/services/broadcasts'
import { BroadcastInputSchema } from '#shared/schemas/broadcasts'

/** Writes a broadcast as a draft (audited); nothing is sent before a preview and a schedule. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'broadcasts.manage')
  const input = await readValidatedBody(event, BroadcastInputSchema.parse)
  const broadcast = await createBroadcast(ctx, input)
  setResponseStatus(event, 201)
  return broadcast
})
