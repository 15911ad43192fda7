/**
 * The fake Bot API's wire protocol, apart from its state: Bot API errors, parameter coercion as
 * Telegram does it, and request bodies in the three encodings Telegram accepts (JSON, urlencoded,
 * multipart with files).
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { BotApiError, Params } from './fake-bot-api-types'

export class ApiError extends Error { constructor(readonly error: BotApiError) { super(error.description) } }
export function bad(what: string): never { throw new ApiError({ error_code: 400, description: `Bad Request: ${what}` }) }
export const now = () => Math.floor(Date.now() / 1000)
export const str = (v: unknown): string => (v == null ? '' : String(v))
export const int = (v: unknown): number | undefined => (v == null || v === '' || !Number.isInteger(Number(v)) ? undefined : Number(v))
export const randomId = (bytes = 12) => randomBytes(bytes).toString('base64url')
export const yes = (v: unknown) => v === true || v === 'true'
export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
/** Fields Telegram accepts as JSON-serialised strings in urlencoded/multipart bodies. */
export const JSON_FIELDS = new Set(['reply_markup', 'prices', 'commands', 'allowed_updates', 'menu_button', 'entities', 'caption_entities',
  'scope', 'shipping_options', 'results', 'suggested_tip_amounts', 'media', 'link_preview_options', 'reply_parameters', 'errors'])
export const MAX_TEXT = 4096
export const NOT_MODIFIED = 'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'
export const tryJson = (v: string): unknown => { try { return JSON.parse(v) } catch { return v } }

export async function readBody(req: IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks)
  if (body.length === 0) return {}
  const type = req.headers['content-type'] ?? ''
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type)
  if (/^multipart\/form-data/i.test(type) && boundary) return parseMultipart(body, boundary[1] ?? boundary[2]!)
  if (/^application\/x-www-form-urlencoded/i.test(type)) return Object.fromEntries(new URLSearchParams(body.toString('utf8')))
  const json = tryJson(body.toString('utf8'))
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Params) : bad('can\'t parse JSON object')
}

/** Text parts become strings; file parts are recorded as {filename, size, contentType}. */
function parseMultipart(body: Buffer, boundary: string): Params {
  const params: Params = {}
  const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8')
  // latin1 maps bytes 1:1 to characters: lengths are byte counts and text can be re-decoded as UTF-8.
  for (const part of body.toString('latin1').split(`--${boundary}`).slice(1, -1)) {
    const headerEnd = part.indexOf('\r\n\r\n')
    const headers = part.slice(0, Math.max(headerEnd, 0))
    const name = /(?:^|[;\s])name="([^"]*)"/i.exec(headers)?.[1]
    if (headerEnd === -1 || name == null) continue
    const content = part.slice(headerEnd + 4, -2) // without the CRLF before the next delimiter
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1]
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim()
    params[utf8(name)] = filename == null ? utf8(content) : { filename: utf8(filename), size: content.length, ...(contentType && { contentType }) }
  }
  return params
}

const HTML_ENTITY_TYPES: Record<string, string> = { b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline', s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler', code: 'code', pre: 'pre', blockquote: 'blockquote', a: 'text_link' }

/**
 * `parse_mode: "HTML"` as Telegram reads it: the tags become entities (offsets in UTF-16 units) over
 * the plain text, `&lt;` `&gt;` `&amp;` `&quot;` and numeric references are decoded, and a tag it
 * does not know or one left open is a 400 "can't parse entities", failing the whole message.
 */
export function parseHtmlEntities(html: string): { text: string; entities: Params[] } {
  let text = ''
  const entities: Params[] = []
  const open: { tag: string; offset: number; url?: string }[] = []
  const fail = (why: string): never => bad(`can't parse entities: ${why}`)
  for (let i = 0; i < html.length;) {
    const ch = html[i]!
    if (ch === '<') {
      const m = /^<(\/?)([a-z-]+)([^>]*)>/i.exec(html.slice(i)) ?? fail(`unexpected "<" at byte offset ${i}`)
      const tag = m[2]!.toLowerCase()
      if (!(tag in HTML_ENTITY_TYPES)) fail(`unsupported start tag "${tag}" at byte offset ${i}`)
      if (m[1]) {
        const top = open.pop()
        if (!top || top.tag !== tag) fail(`can't find end tag corresponding to start tag "${top?.tag ?? tag}"`)
        if (text.length > top!.offset) entities.push({ type: HTML_ENTITY_TYPES[tag], offset: top!.offset, length: text.length - top!.offset, ...(top!.url && { url: top!.url }) })
      } else {
        const href = /href\s*=\s*"([^"]*)"/i.exec(m[3] ?? '')?.[1]
        open.push({ tag, offset: text.length, ...(href && { url: href.replace(/&amp;/g, '&').replace(/&quot;/g, '"') }) })
      }
      i += m[0].length
    } else if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i))
      if (!m) { text += '&'; i += 1; continue }
      const name = m[1]!.toLowerCase()
      text += name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'amp' ? '&' : name === 'quot' ? '"' : String.fromCodePoint(name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10))
      i += m[0].length
    } else {
      text += ch
      i += 1
    }
  }
  if (open.length) fail(`can't find end tag corresponding to start tag "${open.at(-1)!.tag}"`)
  return { text, entities: entities.sort((a, b) => Number(a.offset) - Number(b.offset)) }
}
