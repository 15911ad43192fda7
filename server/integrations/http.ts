/**
 * One way to call a partner: a timeout on every request, the answer parsed by its zod contract,
 * and every failure sorted into what the delivery should do next:
 * - `PartnerUnavailableError`: network error, timeout, 5xx or 429 - retry later with backoff;
 * - `PartnerRejectedError`: a 4xx - our request or settings are wrong, retrying will not help;
 * - `ContractDriftError`: a 2xx whose body no longer matches the contract - the partner changed.
 */
import type { z } from 'zod'

export interface ContractIssue {
  path: string
  message: string
}

/** The partner is down, slow or overloaded: try again later. */
export class PartnerUnavailableError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | null = null,
    readonly body: unknown = undefined,
    /** Retry-After the partner asked for (429, 503). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
    this.name = 'PartnerUnavailableError'
  }
}

/** The partner refused the request (4xx): a person must look at the request or the settings. */
export class PartnerRejectedError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly body: unknown,
  ) {
    super(message)
    this.name = 'PartnerRejectedError'
  }
}

/** The partner answered, but not in the shape its contract says: nothing is applied, staff are warned. */
export class ContractDriftError extends Error {
  constructor(
    readonly what: string,
    readonly issues: ContractIssue[],
    readonly raw: unknown,
  ) {
    super(`${what}: the partner's answer no longer matches its contract (${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')})`)
    this.name = 'ContractDriftError'
  }
}

/** Zod issues as field paths a person can read in /admin (`result.0.ID: expected string`). */
export const contractIssues = (error: z.ZodError): ContractIssue[] => error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))

/** Parses a partner payload by its contract or throws ContractDriftError with the raw payload. */
export function parseContract<Schema extends z.ZodType>(what: string, schema: Schema, raw: unknown): z.output<Schema> {
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw new ContractDriftError(what, contractIssues(parsed.error), raw)
  return parsed.data
}

export interface PartnerRequest<Schema extends z.ZodType> {
  /** Names the call in errors and logs (`bitrix24 crm.deal.add`). */
  what: string
  url: string
  method?: 'GET' | 'POST' | 'PUT'
  headers?: Record<string, string>
  /** JSON body (a string is sent as is, e.g. form-encoded). */
  body?: unknown
  /** The contract of a successful (2xx) answer. */
  response: Schema
  timeoutMs?: number
}

export interface PartnerResponse<T> {
  data: T
  httpStatus: number
  latencyMs: number
}

const DEFAULT_TIMEOUT_MS = 10_000

const retryAfter = (header: string | null) => {
  if (!header) return null
  const seconds = Number(header)
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3600) : null
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return text.slice(0, 2000)
  }
}

/** Calls a partner and returns its answer parsed by the contract, or throws one of the three errors above. */
export async function callPartner<Schema extends z.ZodType>(request: PartnerRequest<Schema>): Promise<PartnerResponse<z.output<Schema>>> {
  const started = performance.now()
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers }
  let body: string | undefined
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body)
    headers['content-type'] ??= typeof request.body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json'
  }
  let response: Response
  try {
    response = await fetch(request.url, { method: request.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS), redirect: 'error' })
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError'
    throw new PartnerUnavailableError(`${request.what}: ${timedOut ? 'no answer in time' : `cannot connect (${(error as Error).message})`}`)
  }
  let raw: unknown
  try {
    raw = await readBody(response)
  } catch {
    throw new PartnerUnavailableError(`${request.what}: the answer broke off`, response.status)
  }
  const latencyMs = Math.round(performance.now() - started)
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    throw new PartnerUnavailableError(`${request.what}: HTTP ${response.status}`, response.status, raw, retryAfter(response.headers.get('retry-after')))
  }
  if (response.status >= 400) throw new PartnerRejectedError(`${request.what}: HTTP ${response.status}`, response.status, raw)
  return { data: parseContract(request.what, request.response, raw), httpStatus: response.status, latencyMs }
}
