import { dismissConnectorWarning } from '#server/services/integrations/admin'
import { ConnectorParamsSchema } from '#shared/schemas/integrations'

/** Staff dealt with a "partner changed" warning: the connector shows as healthy again (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { connector } = await getValidatedRouterParams(event, ConnectorParamsSchema.parse)
  return dismissConnectorWarning(ctx, connector)
})
