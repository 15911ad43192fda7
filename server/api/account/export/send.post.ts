import { sendAccountExportToChat } from '#server/services/account/data'

/** Sends the data archive into the customer's chat with the bot (202, queued). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  await sendAccountExportToChat(ctx)
  setResponseStatus(event, 202)
  return { queued: true }
})
