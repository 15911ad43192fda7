import type { ConnectorName, IntegrationEventType } from '#shared/schemas/integrations'
import type { AppConfig } from '../utils/config'

/** An event as a connector receives it: its id is the idempotency key the partner sees. */
export interface OutboundEvent {
  id: string
  type: IntegrationEventType
  aggregateType: string
  aggregateId: string
  payload: Record<string, unknown>
  createdAt: Date
}

/** What a delivery achieved: the partner's id for it and a short answer for the log. */
export interface DeliveryResult {
  externalId?: string
  response?: unknown
  httpStatus?: number
  latencyMs?: number
  /** The partner had it already (a retry after a lost answer): nothing new was created. */
  alreadyThere?: boolean
}

/**
 * One partner behind one interface: a second CRM implements the same shape. `settings` returns
 * undefined while the connector is not configured (no events are queued for it then).
 */
export interface Connector<Settings = unknown> {
  name: ConnectorName
  /** The partner's name as staff know it. */
  partner: string
  settings(config: AppConfig): Settings | undefined
  /** Which events this connector sends on (outbound); an inbound-only connector says false. */
  wants(event: Pick<OutboundEvent, 'type' | 'payload'>): boolean
  deliver(event: OutboundEvent, settings: Settings): Promise<DeliveryResult>
  /**
   * Calls the partner's read endpoint with a known sample and checks the answer by its contract
   * (throws ContractDriftError), so a changed partner is noticed before real traffic fails.
   */
  probe(settings: Settings): Promise<void>
}
