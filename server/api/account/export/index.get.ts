import { exportAccountData } from '#server/services/account/data'

/** Everything we hold about the customer as one ZIP (account.json plus their documents). Audited. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { bytes, fileName } = await exportAccountData(ctx)
  setResponseHeader(event, 'Content-Type', 'application/zip')
  setResponseHeader(event, 'Content-Disposition', `attachment; filename="${fileName}"`)
  setResponseHeader(event, 'Cache-Control', 'private, no-store')
  return bytes
})
