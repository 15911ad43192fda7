/**
 * Telegram's HTML formatting (parse_mode "HTML"), as an operator types it in a broadcast. Only the
 * tags Telegram understands are kept (b, strong, i, em, u, ins, s, strike, del, tg-spoiler,
 * span class="tg-spoiler", a href, code, pre, blockquote); every other `<`, `>` and `&` is escaped,
 * so "5 < 7 & more" or a pasted `<script>` arrive as written. Tags must be closed in order:
 * Telegram refuses the whole message otherwise, so we refuse it first, with the reason.
 */

const SIMPLE = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'tg-spoiler', 'code', 'pre', 'blockquote'])
const ENTITY = /^&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/i
const TAG = /^<(\/?)([a-z-]+)((?:\s+[a-z-]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))?)*)\s*>/i
const ATTR = /([a-z-]+)(?:\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'))?/gi

export type TelegramHtmlResult = { ok: true; html: string; length: number } | { ok: false; reason: string }

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const escapeAttr = (s: string) => escapeHtml(s).replace(/"/g, '&quot;')

function decodeEntity(entity: string): string {
  const body = entity.slice(1, -1).toLowerCase()
  if (body === 'lt') return '<'
  if (body === 'gt') return '>'
  if (body === 'amp') return '&'
  if (body === 'quot') return '"'
  const code = body.startsWith('#x') ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
}

/** Safe link targets: web links and Telegram's own (t.me, tg://). */
export const isSafeLink = (href: string) => /^(https?:\/\/[^\s<>"]+|tg:\/\/[^\s<>"]+)$/i.test(href)

/**
 * Normalises an operator's text to HTML Telegram accepts, and counts what Telegram counts against
 * its limits (the text after entities are parsed, in UTF-16 code units).
 */
export function normalizeTelegramHtml(input: string): TelegramHtmlResult {
  let out = ''
  let visible = ''
  const open: string[] = []
  let i = 0
  while (i < input.length) {
    const rest = input.slice(i)
    const ch = input[i]!
    if (ch === '&') {
      const entity = ENTITY.exec(rest)
      if (entity) {
        out += entity[0]
        visible += decodeEntity(entity[0])
        i += entity[0].length
      } else {
        out += '&amp;'
        visible += '&'
        i += 1
      }
      continue
    }
    if (ch === '<') {
      const tag = TAG.exec(rest)
      const name = tag?.[2]?.toLowerCase()
      if (tag && name && (SIMPLE.has(name) || name === 'a' || name === 'span')) {
        const closing = tag[1] === '/'
        if (closing) {
          if (open.at(-1) !== name) return { ok: false, reason: `</${name}> does not close the last opened tag${open.length ? ` <${open.at(-1)}>` : ''}` }
          open.pop()
          out += `</${name}>`
        } else {
          const attrs = new Map<string, string>()
          for (const m of (tag[3] ?? '').matchAll(ATTR)) attrs.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? '')
          if (name === 'a') {
            const href = attrs.get('href')?.trim() ?? ''
            if (!isSafeLink(href)) return { ok: false, reason: '<a> needs href="https://…" or a t.me / tg:// link' }
            out += `<a href="${escapeAttr(href)}">`
          } else if (name === 'span') {
            if (attrs.get('class') !== 'tg-spoiler') return { ok: false, reason: '<span> is only allowed as <span class="tg-spoiler">' }
            out += '<span class="tg-spoiler">'
          } else {
            out += `<${name}>`
          }
          if (open.length >= 16) return { ok: false, reason: 'tags are nested too deep' }
          open.push(name)
        }
        i += tag[0].length
        continue
      }
      out += '&lt;'
      visible += '<'
      i += 1
      continue
    }
    if (ch === '>') {
      out += '&gt;'
      visible += '>'
      i += 1
      continue
    }
    out += ch
    visible += ch
    i += 1
  }
  if (open.length) return { ok: false, reason: `<${open.at(-1)}> is not closed` }
  if (!visible.trim()) return { ok: false, reason: 'the text is empty' }
  return { ok: true, html: out, length: visible.length }
}

/** Telegram's limits after entity parsing: a text message, and a photo's caption. */
export const TELEGRAM_TEXT_MAX = 4096
export const TELEGRAM_CAPTION_MAX = 1024
