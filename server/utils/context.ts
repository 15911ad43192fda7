import type { H3Event } from 'h3'
import type { Permission } from '#shared/permissions'
import { contextFor, systemContext, type RequestMeta, type ServiceContext } from '../services/context'
import { clientIp, requireRole, requireTmaUser } from './auth'
import { useServices, type AppServices } from './runtime'

/** Where a request came from, for the audit log. */
export function requestMeta(event: H3Event, services: Pick<AppServices, 'config'>): RequestMeta {
  return { requestId: (event.context.requestId as string | undefined) ?? null, ip: clientIp(event, services) }
}

/**
 * Guard and context for an /admin route: the caller must hold `permission`; services then act as
 * that staff member (audit rows carry their id, the request id and IP).
 */
export async function staffContext(event: H3Event, permission: Permission): Promise<ServiceContext> {
  const actor = await requireRole(event, permission)
  const services = await useServices()
  return contextFor(services, { kind: 'staff', userId: actor.user.id, via: actor.via, roles: actor.roles }, requestMeta(event, services))
}

/** Guard and context for a Mini App route: services act as the customer recognised by initData. */
export async function customerContext(event: H3Event): Promise<ServiceContext> {
  const { user } = await requireTmaUser(event)
  const services = await useServices()
  return contextFor(services, { kind: 'customer', userId: user.id, via: 'tma' }, requestMeta(event, services))
}

/** Context for a partner's webhook: services act for the system, named after the partner (the route checks the partner's secret). */
export async function systemEventContext(event: H3Event, name: string): Promise<ServiceContext> {
  const services = await useServices()
  return systemContext(services, name, requestMeta(event, services))
}

/**
 * Guard and context for a Mini App route anyone may use, staff included: a person with a role acts
 * as staff (field staff fill their own forms), everyone else as a customer.
 */
export async function fillerContext(event: H3Event): Promise<ServiceContext> {
  const { user, roles } = await requireTmaUser(event)
  const services = await useServices()
  const actor = roles.length ? { kind: 'staff' as const, userId: user.id, via: 'tma' as const, roles } : { kind: 'customer' as const, userId: user.id, via: 'tma' as const }
  return contextFor(services, actor, requestMeta(event, services))
}
