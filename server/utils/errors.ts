import { createError, type H3Error } from 'h3'
import { ZodError } from 'zod'
import { infrastructureFailure } from './infrastructure'
import { ERROR_CODES, type ApiErrorBody, type ErrorCode } from '#shared/errors'

/**
 * The error services throw: a stable `code` and a message, no HTTP. The one mapper below turns it
 * (and h3's and zod's errors) into the JSON body every client sees.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
    readonly status?: number,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

/** An HTTP error with our body shape, for guards and handlers that decide the status themselves. */
export function apiError(code: ErrorCode, message: string, details?: unknown, statusCode: number = ERROR_CODES[code].status): H3Error {
  return createError({ statusCode, statusMessage: code, message, data: { code, details } })
}

function zodDetails(error: ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code }))
}

function statusCodeOf(error: unknown) {
  const status = (error as { statusCode?: unknown })?.statusCode
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500
}

const INFRASTRUCTURE_MESSAGES = {
  storage_full: 'The server is out of disk space; nothing was saved. Please try again later.',
  database_unavailable: 'The database does not answer right now; nothing was saved. Please try again shortly.',
} as const

/** Maps anything thrown while handling a request to `{ statusCode, code, message, details? }`. */
export function toApiErrorBody(error: unknown): ApiErrorBody {
  const cause = (error as { cause?: unknown })?.cause
  if (error instanceof DomainError || cause instanceof DomainError) {
    const domain = (error instanceof DomainError ? error : cause) as DomainError
    const statusCode = domain.status ?? (ERROR_CODES as Record<string, { status: number }>)[domain.code]?.status ?? 400
    return { statusCode, code: domain.code, message: domain.message, details: domain.details }
  }
  if (error instanceof ZodError || cause instanceof ZodError) {
    const zod = (error instanceof ZodError ? error : cause) as ZodError
    return { statusCode: 400, code: 'validation_failed', message: 'The request does not match the expected format', details: zodDetails(zod) }
  }
  const statusCode = statusCodeOf(error)
  const data = (error as { data?: { code?: string; details?: unknown; issues?: unknown } })?.data
  if (data?.code) return { statusCode, code: data.code, message: (error as Error).message, details: data.details }
  // h3's readValidatedBody & co. put the ZodError (or its issues) into `data`.
  if (statusCode === 400 && (data instanceof ZodError || Array.isArray(data?.issues))) {
    const issues = data instanceof ZodError ? zodDetails(data) : zodDetails(new ZodError(data!.issues as never))
    return { statusCode, code: 'validation_failed', message: 'The request does not match the expected format', details: issues }
  }
  const infrastructure = statusCode === 500 ? infrastructureFailure(error) : undefined
  if (infrastructure) return { statusCode: 503, code: infrastructure, message: INFRASTRUCTURE_MESSAGES[infrastructure] }
  if (statusCode === 500) return { statusCode, code: 'internal_error', message: 'Something went wrong on our side. Please try again.' }
  const byStatus: Record<number, ErrorCode> = { 400: 'bad_request', 401: 'auth_missing', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict', 413: 'payload_too_large', 429: 'rate_limited', 503: 'not_ready' }
  const code = byStatus[statusCode] ?? 'bad_request'
  const message = statusCode === 404 ? 'Not found' : (error as Error)?.message || code
  return { statusCode, code, message }
}
