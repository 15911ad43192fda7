/**
 * autocannon, run programmatically in this process, with a warm-up run that is thrown away.
 * Every figure that compares two servers uses the same settings on both.
 */
import autocannon from 'autocannon'
import { cpuMs } from './lib'

export const DURATION_S = Number(process.env.BENCH_DURATION ?? 10)
export const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2)

export interface LoadRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  /** Called for every request: returns its body (unique ids and the like). */
  nextBody?: () => string
  /** Called for every request: its path and extra headers (rotating users, queries). */
  nextRequest?: () => { path?: string; headers?: Record<string, string> }
  /** Called with every response body (only when set: reading bodies costs the load generator time). */
  onBody?: (status: number, body: string) => void
  /**
   * Time each connection's first answer in the measured run (autocannon opens all its connections
   * at once when a run starts: a connection storm). Sets `firstAnswers` on the result.
   */
  firstAnswers?: boolean
}

/** The first answer on each of a run's new connections: how long a visitor arriving in a flood waits. */
export interface FirstAnswers {
  /** Connections that got at least one answer in the run. */
  answered: number
  /** Connections that got none (e.g. never accepted). */
  unanswered: number
  /** First answers slower than 1 s. */
  over1s: number
  slowestMs: number
}

export interface LoadResult {
  connections: number
  durationS: number
  requests: number
  ok2xx: number
  non2xx: number
  errors: number
  timeouts: number
  /** Mean requests per second (all answered requests). */
  rps: number
  /** Mean 2xx answers per second. */
  okPerS: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** CPU ms the server process used per answered request during the run (robust to a busy machine). */
  cpuMsPerReq?: number
  firstAnswers?: FirstAnswers
}

/** `firstMs`, when given, gets the latency of each connection's first answer. */
function once(url: string, connections: number, durationS: number, req: LoadRequest, amount?: number, firstMs?: number[]): Promise<autocannon.Result> {
  const { nextBody, nextRequest, onBody } = req
  const dynamic = nextBody || nextRequest || onBody
  const request: autocannon.Request = {
    method: req.method ?? 'GET',
    path: req.path ?? '/',
    headers: req.headers,
    body: req.body,
    ...((nextBody || nextRequest) && {
      setupRequest: (r: autocannon.Request) => {
        const next = nextRequest?.() ?? {}
        return { ...r, ...(next.path && { path: next.path }), headers: { ...r.headers, ...next.headers }, ...(nextBody && { body: nextBody() }) }
      },
    }),
    ...(onBody && { onResponse: (status: number, body: string) => onBody(status, body) }),
  }
  const instance = autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: durationS }),
    method: request.method,
    headers: req.headers,
    body: req.body,
    ...(dynamic && { requests: [request] }),
  })
  if (firstMs) {
    const seen = new Set<unknown>()
    instance.on('response', (client: unknown, _status: number, _bytes: number, ms: number) => {
      if (!seen.has(client)) firstMs.push(ms)
      seen.add(client)
    })
  }
  return instance
}

export type LoadRun = LoadResult & { warmup: LoadResult }

/** Warm-up (`WARMUP_S`, discarded), then the measured run (`DURATION_S`); `pid`: the server, for its CPU time. */
export async function load(url: string, connections: number, req: LoadRequest = {}, pid?: number): Promise<LoadRun> {
  const warm = summarize(await once(url + (req.path ?? ''), connections, WARMUP_S, req), connections)
  const cpu0 = pid ? cpuMs(pid) : 0
  const firstMs: number[] | undefined = req.firstAnswers ? [] : undefined
  const measured = summarize(await once(url + (req.path ?? ''), connections, DURATION_S, req, undefined, firstMs), connections)
  if (pid) measured.cpuMsPerReq = (cpuMs(pid) - cpu0) / Math.max(1, measured.requests)
  if (firstMs) {
    measured.firstAnswers = { answered: firstMs.length, unanswered: connections - firstMs.length, over1s: firstMs.filter((ms) => ms > 1000).length, slowestMs: Math.round(Math.max(0, ...firstMs)) }
  }
  return { ...measured, warmup: warm }
}

/** Exactly `amount` requests, no warm-up (first-seen users, a burst of updates); `pid`: the server. */
export async function burst(url: string, connections: number, amount: number, req: LoadRequest = {}, pid?: number): Promise<LoadResult> {
  const cpu0 = pid ? cpuMs(pid) : 0
  const t0 = performance.now()
  // autocannon reports a burst only at its next 1 s tick, and its duration counts to that tick (a
  // 6.1 s burst reads 7.02 s): the burst ends, and its time and CPU are read, at the last answer.
  const instance = once(url + (req.path ?? ''), connections, 0, req, amount)
  let answers = 0
  let end: { ms: number; cpu: number } | undefined
  instance.on('response', () => {
    if (++answers === amount) end = { ms: performance.now(), cpu: pid ? cpuMs(pid) : 0 }
  })
  const result = await instance
  end ??= { ms: performance.now(), cpu: pid ? cpuMs(pid) : 0 } // some requests errored or timed out
  const measured = summarize({ ...result, duration: (end.ms - t0) / 1000 }, connections)
  if (pid) measured.cpuMsPerReq = (end.cpu - cpu0) / Math.max(1, measured.requests)
  return measured
}

function summarize(r: autocannon.Result, connections: number): LoadResult {
  const seconds = r.duration
  return {
    connections,
    durationS: Math.round(seconds * 10) / 10,
    requests: r.requests.total,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    rps: r.requests.total / seconds,
    okPerS: r['2xx'] / seconds,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
  }
}
