import type { ConnectorName } from '#shared/schemas/integrations'
import { atolConnector } from './atol'
import { bitrix24Connector } from './bitrix24'
import { unisenderConnector } from './unisender'
import type { Connector } from './types'

/**
 * The outbound connectors, one per partner kind. Adding a partner: a folder here with its
 * contract (zod, both directions) and a `Connector`, listed below (docs/integrations.md).
 * The warehouse (MoySklad) only pulls, so it is not listed: see services/integrations/warehouse.ts.
 */
export const OUTBOUND_CONNECTORS: readonly Connector<unknown>[] = [bitrix24Connector, atolConnector, unisenderConnector]

export const outboundConnector = (name: ConnectorName) => OUTBOUND_CONNECTORS.find((c) => c.name === name)
