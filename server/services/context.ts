import type { SendOptions } from 'pg-boss'
import type { z } from 'zod'
import type { Role } from '#shared/permissions'
import type { Bot } from '../bot'
import type { AppServices } from '../composition-root'
import type { Database, Transaction } from '../db/client'
import type { Enqueuer, JobDefinition } from '../jobs/queue'
import type { AppConfig } from '../utils/config'
import type { Logger } from '../utils/logger'
import { recordAudit, type ActorVia } from './audit'

/**
 * Who is acting. Services decide by it (a customer may only touch their own things, staff act for
 * the business) and write it into the audit log and the module's own history.
 */
export type Actor =
  | { kind: 'customer'; userId: number; via: Extract<ActorVia, 'tma' | 'bot'> }
  | { kind: 'staff'; userId: number; via: Extract<ActorVia, 'tma' | 'session' | 'bot'>; roles: readonly Role[] }
  | { kind: 'system'; userId: null; via: 'system'; name: string }
  | { kind: 'anonymous'; userId: null; via: 'anonymous' }

/** Where a change came from, for the audit log: the request (or Telegram update) id and the client IP. */
export interface RequestMeta {
  requestId: string | null
  ip: string | null
}

/**
 * Everything a service needs to make a change: the database, the queue, who acts and from where,
 * and the app's config, logger and Telegram client. Handlers, bot adapters and jobs build one
 * (server/utils/context.ts); tests build one around a test database (tests/helpers/context.ts).
 */
export interface ServiceContext {
  /** The database, or the open transaction inside `write`. Reads go through it. */
  db: Database | Transaction
  queue: Enqueuer
  actor: Actor
  meta: RequestMeta
  logger: Logger
  config: AppConfig
  /** The Telegram client (Telegraf), for the few services that must call Telegram before answering. */
  bot: Bot
}

/** One change in progress: a transaction, with the audit log and the outbox bound to it. */
export interface WriteContext extends ServiceContext {
  db: Transaction
  /** The database the transaction was opened on: what after-commit effects purge this replica's caches of. */
  root: Database | Transaction
  /** Appends an audit row for the acting user in this transaction: it exists if and only if the change does. */
  audit(entry: { action: string; entityType: string; entityId?: string | number | null; before?: unknown; after?: unknown }): Promise<void>
  /** Queues a follow-up job in this transaction (transactional outbox): it runs if and only if the change commits. */
  enqueue<Schema extends z.ZodType>(definition: JobDefinition<Schema>, data: z.input<Schema>, options?: SendOptions): Promise<string | null>
  /** Drops queued jobs in this transaction (re-planned reminders): they stay if the change rolls back. */
  cancelJobs(definition: JobDefinition, ids: readonly string[]): Promise<void>
  /**
   * Runs `effect` in this process once the transaction has committed: only for process-local
   * side effects that may be lost without harm (purging a cache). Anything that must happen goes
   * through `enqueue`.
   */
  afterCommit(effect: () => unknown): void
}

const WRITE = Symbol('write-context')
type OpenWrite = WriteContext & { [WRITE]: true }

const isOpen = (ctx: ServiceContext): ctx is OpenWrite => (ctx as Partial<OpenWrite>)[WRITE] === true

function openWrite(ctx: ServiceContext, tx: Transaction, effects: (() => unknown)[]): OpenWrite {
  return {
    ...ctx,
    db: tx,
    root: ctx.db,
    [WRITE]: true,
    audit: (entry) => recordAudit(tx, { ...entry, actorId: ctx.actor.userId, actorVia: ctx.actor.via, requestId: ctx.meta.requestId, ip: ctx.meta.ip }),
    enqueue: (definition, data, options) => ctx.queue.enqueueIn(tx, definition, data, options),
    cancelJobs: (definition, ids) => ctx.queue.cancelIn(tx, definition, ids),
    afterCommit: (effect) => void effects.push(effect),
  }
}

/**
 * The write path of every module: runs `change` in one transaction with `audit` and `enqueue`
 * bound to it, then the after-commit effects. A service called from inside another's `write`
 * joins that transaction instead of opening its own, so services compose into one atomic change.
 */
export async function write<T>(ctx: ServiceContext, change: (w: WriteContext) => Promise<T>): Promise<T> {
  if (isOpen(ctx)) return change(ctx)
  const effects: (() => unknown)[] = []
  const result = await ctx.db.transaction((tx) => change(openWrite(ctx, tx, effects)))
  for (const effect of effects) {
    try {
      await effect()
    } catch (error) {
      ctx.logger.warn('after-commit effect failed', { error })
    }
  }
  return result
}

/** The same context acting as someone else (a job acting for the system, a bot update for its sender). */
export const actingAs = <C extends ServiceContext>(ctx: C, actor: Actor): C => ({ ...ctx, actor })

/** How the module histories (order timeline, booking history) name the actor. */
export const historyActorKind = (actor: Actor): 'customer' | 'staff' | 'system' => (actor.kind === 'customer' || actor.kind === 'staff' ? actor.kind : 'system')

/** The app's parts a context is built from (all of AppServices, or a test's equivalent). */
export type ContextSource = Pick<AppServices, 'db' | 'queue' | 'logger' | 'config' | 'bot'>

/** A context for `actor`, on the app's database and queue. */
export function contextFor(services: ContextSource, actor: Actor, meta: RequestMeta = { requestId: null, ip: null }): ServiceContext {
  return { db: services.db, queue: services.queue, actor, meta, logger: services.logger, config: services.config, bot: services.bot }
}

/** A job or a start-up chore acting for the business itself; `name` says which, in logs and history. */
export const systemContext = (services: ContextSource, name: string, meta?: RequestMeta): ServiceContext => contextFor(services, { kind: 'system', userId: null, via: 'system', name }, meta)
