/**
 * The scheduled probe: every configured partner is asked something harmless (a deal that does not
 * exist, one assortment item, a token, a well-known address) and its answer is checked by the contract, so a partner
 * that changed its format is flagged in /admin and the chat before a real delivery meets it.
 */
import type { ConnectorName } from '#shared/schemas/integrations'
import { ContractDriftError } from '../../integrations/http'
import { OUTBOUND_CONNECTORS } from '../../integrations'
import { probeMoySklad } from '../../integrations/moysklad'
import { geocode } from '../../integrations/yandex-geocoder'
import { write, type ServiceContext } from '../context'
import { markConnectorDegraded, recordHealth } from './delivery'

export interface ProbeResult {
  connector: ConnectorName
  ok: boolean
  /** `contract` when the answer left its contract, `unavailable` when the partner failed to answer well. */
  problem?: 'contract' | 'unavailable'
  message?: string
}

/** Probes every configured partner; a contract break marks the connector degraded (one alert). */
export async function probeConnectors(ctx: ServiceContext): Promise<ProbeResult[]> {
  const probes: { connector: ConnectorName; run: () => Promise<void> }[] = []
  for (const c of OUTBOUND_CONNECTORS) {
    const settings = c.settings(ctx.config)
    if (settings !== undefined) probes.push({ connector: c.name, run: () => c.probe(settings) })
  }
  const moysklad = ctx.config.integrations.moysklad
  if (moysklad) probes.push({ connector: 'warehouse', run: () => probeMoySklad(moysklad) })
  const geocoder = ctx.config.integrations.geocoder
  if (geocoder) probes.push({ connector: 'maps', run: async () => void (await geocode(geocoder, 'Москва, Красная площадь, 1')) })
  const results: ProbeResult[] = []
  for (const probe of probes) {
    const started = performance.now()
    try {
      await probe.run()
      await recordHealth(ctx.db, probe.connector, true, Math.round(performance.now() - started))
      results.push({ connector: probe.connector, ok: true })
    } catch (error) {
      const drift = error instanceof ContractDriftError
      await write(ctx, async (w) => {
        await recordHealth(w.db, probe.connector, false)
        if (drift) await markConnectorDegraded(w, probe.connector, `Probe: ${error.message}`)
      })
      results.push({ connector: probe.connector, ok: false, problem: drift ? 'contract' : 'unavailable', message: (error as Error).message })
    }
  }
  return results
}
