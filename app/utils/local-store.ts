/**
 * A small key-value store on the device for what must survive a closed app: form drafts, the
 * offline outbox and photos waiting to be sent. IndexedDB holds it (Telegram Desktop is known to
 * lose localStorage, so that is never the only copy); localStorage mirrors small JSON values for
 * browsers where IndexedDB is unavailable (some private modes).
 */
const DB_NAME = 'tma-forms'
const STORE = 'kv'
let opening: Promise<IDBDatabase | null> | null = null

function openDb(): Promise<IDBDatabase | null> {
  if (!opening) {
    opening = new Promise((resolve) => {
      try {
        const request = indexedDB.open(DB_NAME, 1)
        request.onupgradeneeded = () => request.result.createObjectStore(STORE)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => resolve(null)
      } catch {
        resolve(null)
      }
    })
  }
  return opening
}

function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  return openDb().then(
    (db) =>
      db &&
      new Promise<T | undefined>((resolve) => {
        try {
          const request = act(db.transaction(STORE, mode).objectStore(STORE))
          request.onsuccess = () => resolve(request.result)
          request.onerror = () => resolve(undefined)
        } catch {
          resolve(undefined)
        }
      }),
  ) as Promise<T | undefined>
}

const mirrorKey = (key: string) => `tma:local:${key}`

/** Reads a value (IndexedDB first, the localStorage mirror otherwise). */
export async function localGet<T>(key: string): Promise<T | undefined> {
  const value = await run<T>('readonly', (s) => s.get(key) as IDBRequest<T>)
  if (value !== undefined) return value
  try {
    const mirrored = localStorage.getItem(mirrorKey(key))
    return mirrored === null ? undefined : (JSON.parse(mirrored) as T)
  } catch {
    return undefined
  }
}

/** Writes a value; blobs go to IndexedDB only, JSON values are mirrored to localStorage too. */
export async function localSet(key: string, value: unknown): Promise<void> {
  await run('readwrite', (s) => s.put(value, key))
  if (value instanceof Blob) return
  try {
    localStorage.setItem(mirrorKey(key), JSON.stringify(value))
  } catch {}
}

export async function localDelete(key: string): Promise<void> {
  await run('readwrite', (s) => s.delete(key))
  try {
    localStorage.removeItem(mirrorKey(key))
  } catch {}
}

/** A random id for idempotency keys and local photo references. */
export const randomId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`)

/** Shrinks a camera photo on the device before it is stored and sent (longest side 1600 px, JPEG). */
export async function resizePhoto(file: Blob, maxSide = 1600): Promise<Blob> {
  try {
    const bitmap = await createImageBitmap(file)
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(bitmap.width * scale)
    canvas.height = Math.round(bitmap.height * scale)
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    bitmap.close()
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85))
    return blob ?? file
  } catch {
    return file
  }
}
