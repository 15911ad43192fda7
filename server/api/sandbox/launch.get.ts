import { launchParams, requireSandbox } from '#server/services/sandbox'
import { SandboxLaunchQuery } from '#shared/schemas/sandbox'

/** Launch params for the sandbox's Mini App frame: initData signed for a demo person, theme, start param. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  requireSandbox(services)
  const query = await getValidatedQuery(event, SandboxLaunchQuery.parse)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return launchParams(services.telegram.token, query.person, query.theme, query.startParam || undefined)
})
