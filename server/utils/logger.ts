/**
 * One JSON line per event on stdout. Small on purpose: a level filter, bound fields (request id,
 * job id) and redaction of every configured secret, wherever it hides in a message or a field.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
type Fields = Record<string, unknown>

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }
const SECRET_KEYS = /(token|secret|password|authorization|cookie|init_?data)/i

export interface Logger {
  debug(msg: string, fields?: Fields): void
  info(msg: string, fields?: Fields): void
  warn(msg: string, fields?: Fields): void
  error(msg: string, fields?: Fields): void
  child(fields: Fields): Logger
  /**
   * A line written many times with the same `fixed` fields (an access-log line for a kept
   * answer): those are redacted and serialized once; each call adds the time and `fields`
   * (strings, numbers, booleans; undefined ones are left out), redacted like any line.
   */
  prepare(level: Exclude<LogLevel, 'silent'>, msg: string, fixed: Fields): (fields: Record<string, string | number | boolean | undefined>) => void
}

interface LoggerOptions {
  level?: LogLevel
  secrets?: string[]
  write?: (line: string) => void
}

function redactString(value: string, secrets: string[]) {
  let out = value
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]')
  // Bot tokens also appear inside URLs of the Bot API (/bot<token>/method). The look first is
  // cheaper than the pattern on every string of every line (each request logs one).
  return out.length >= 39 && out.includes('bot') ? out.replace(/bot\d{5,16}:[A-Za-z0-9_-]{30,64}/g, 'bot[redacted]') : out
}

function redact(value: unknown, secrets: string[], depth = 0): unknown {
  if (typeof value === 'string') return redactString(value, secrets)
  if (value instanceof Error) {
    const error = { name: value.name, message: redactString(value.message, secrets), stack: value.stack && redactString(value.stack, secrets), code: (value as { code?: unknown }).code }
    // Drizzle's "Failed query" says which statement; why it failed is the driver's error, its cause.
    return value.cause === undefined || depth > 5 ? error : { ...error, cause: redact(value.cause, secrets, depth + 1) }
  }
  if (depth > 5 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets, depth + 1))
  const out: Fields = {}
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    const item = (value as Fields)[key]
    out[key] = item == null || item === '' ? item : SECRET_KEYS.test(key) ? '[redacted]' : typeof item === 'string' || typeof item === 'object' ? redact(item, secrets, depth + 1) : item
  }
  return out
}

/** The time of a line: one ISO string per millisecond, however many lines share it (a flood's access log). */
let isoMs = 0
let iso = ''
function isoNow() {
  const now = Date.now()
  if (now !== isoMs) {
    isoMs = now
    iso = new Date(now).toISOString()
  }
  return iso
}

/**
 * stdout to a pipe is synchronous on Linux: one write() per log line costs a syscall on every
 * request. Lines are gathered and written once per event-loop turn, and flushed on exit.
 */
let pending: string[] = []
let scheduled = false
function flushStdout() {
  scheduled = false
  if (!pending.length) return
  const chunk = pending.join('')
  pending = []
  process.stdout.write(chunk)
}
process.once('exit', flushStdout)
function bufferedStdout(line: string) {
  pending.push(line + '\n')
  if (!scheduled) {
    scheduled = true
    setImmediate(flushStdout)
  }
}

export function createLogger(options: LoggerOptions = {}, bound: Fields = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info']
  const secrets = options.secrets ?? []
  const write = options.write ?? bufferedStdout
  const log = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: Fields) => {
    if (LEVELS[level] < threshold) return
    const entry = redact({ time: isoNow(), level, msg, ...bound, ...fields }, secrets)
    write(JSON.stringify(entry))
  }
  const prepare: Logger['prepare'] = (level, msg, fixed) => {
    if (LEVELS[level] < threshold) return () => {}
    // '"level":"info","msg":"request",...': the object's braces come off, the time goes first as in any line.
    const head = JSON.stringify(redact({ level, msg, ...bound, ...fixed }, secrets)).slice(1, -1)
    // Each call passes the same few keys: what each one starts with (or that it is a secret's) is worked out once.
    const keys = new Map<string, { prefix: string; secret: boolean }>()
    return (fields) => {
      let line = `{"time":"${isoNow()}",${head}`
      for (const key in fields) {
        const value = fields[key]
        if (value === undefined) continue
        let known = keys.get(key)
        if (!known) keys.set(key, (known = { prefix: `,${JSON.stringify(key)}:`, secret: SECRET_KEYS.test(key) }))
        line += known.prefix + (known.secret ? '"[redacted]"' : JSON.stringify(typeof value === 'string' ? redactString(value, secrets) : value))
      }
      write(line + '}')
    }
  }
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
    prepare,
  }
}
