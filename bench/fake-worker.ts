/**
 * The fake Bot API in a worker thread of its own, for benches that measure when Telegram would
 * receive a call (pre-checkout answers, the pace of chat messages). In the bench's own thread its
 * receipt times were those of an event loop busy generating the load, so calls bunched: 40 chat
 * messages "in one second" from a limiter that grants 28. Here every call is stamped when the
 * worker's server reads it, and mirrored to the bench thread with that stamp.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { createFakeBotApi, type FakeBotApi, type FakeBotApiCall } from '../server/telegram/fake-bot-api'

/** What the payments bench uses of the fake: the same names as FakeBotApi's. */
export type BenchFake = Pick<FakeBotApi, 'token' | 'apiRoot' | 'updates' | 'callsOf' | 'onCall' | 'waitFor' | 'close'>

type FromWorker = { ready: string } | { call: { method: string; params: FakeBotApiCall['params']; at: number } } | { closed: true }

/** Starts the fake in a worker thread; resolves when it listens. */
export async function startFakeInWorker(): Promise<BenchFake> {
  // Not listening: builds the updates (same token, same bot) and holds the calls the worker reports.
  const mirror = createFakeBotApi()
  const worker = new Worker(new URL(import.meta.url), { workerData: { token: mirror.token } })
  const listeners = new Set<(call: FakeBotApiCall) => void>()
  let closed: (() => void) | undefined
  const apiRoot = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', (message: FromWorker) => {
      if ('ready' in message) resolve(message.ready)
      else if ('closed' in message) closed?.()
      else {
        const call = { ...message.call, at: new Date(message.call.at) }
        mirror.calls.push(call)
        for (const listener of [...listeners]) listener(call)
      }
    })
  })
  mirror.apiRoot = apiRoot
  // The mirror answers waitFor/onCall from the calls the worker reported.
  mirror.onCall = (listener) => {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  }
  return {
    token: mirror.token,
    apiRoot,
    updates: mirror.updates,
    callsOf: (method) => mirror.callsOf(method),
    onCall: (listener) => mirror.onCall(listener),
    waitFor: (...args) => mirror.waitFor(...args),
    close: async () => {
      await new Promise<void>((resolve) => {
        closed = resolve
        worker.postMessage('close')
      })
      await worker.terminate()
    },
  }
}

if (!isMainThread && parentPort && (workerData as { token?: string } | undefined)?.token) {
  const port = parentPort
  const fake = createFakeBotApi({ token: (workerData as { token: string }).token })
  fake.onCall((c) => port.postMessage({ call: { method: c.method, params: c.params, at: c.at.getTime() } } satisfies FromWorker))
  port.on('message', (message) => {
    if (message === 'close') void fake.close().then(() => port.postMessage({ closed: true } satisfies FromWorker))
  })
  void fake.listen().then((apiRoot) => port.postMessage({ ready: apiRoot } satisfies FromWorker))
}
