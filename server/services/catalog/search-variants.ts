/**
 * What a Russian-speaking customer may have meant by a search query: the query itself, the same
 * keys pressed in the other keyboard layout ("rfgexbyj" is "капучино" typed with the English layout
 * on), and a Russian word spelt in Latin letters ("kapuchino" is "капучино"). Every variant is then
 * searched against the same full-text and trigram indexes as the query itself.
 */

const EN_KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./"
const RU_KEYS = 'ёйцукенгшщзхъфывапролджэячсмитьбю.'
const EN_TO_RU = new Map([...EN_KEYS].map((c, i) => [c, RU_KEYS[i]!]))
const RU_TO_EN = new Map([...RU_KEYS].map((c, i) => [c, EN_KEYS[i]!]))

/** The keys of `text` as if the other layout had been on; characters outside both layouts stay. */
function swapLayout(text: string, map: Map<string, string>) {
  let out = ''
  for (const c of text) out += map.get(c) ?? c
  return out
}

/** Longest spellings first: "shch" before "sh" before "s". */
const LATIN_TO_CYRILLIC: [RegExp, string][] = [
  [/shch|sch/g, 'щ'],
  [/zh/g, 'ж'],
  [/kh/g, 'х'],
  [/ch/g, 'ч'],
  [/sh/g, 'ш'],
  [/ts|tz/g, 'ц'],
  [/yo|jo/g, 'ё'],
  [/yu|ju|iu/g, 'ю'],
  [/ya|ja|ia/g, 'я'],
  [/ye|je/g, 'е'],
  // A "y" after a vowel is "й" (chai, moy, kofeynya); elsewhere "ы" (syrniki).
  [/([aeiouy])y/g, '$1й'],
  [/([aeiou])i(?=[^aeiou]|$)/g, '$1й'],
  [/x/g, 'кс'],
  [/cc/g, 'кк'],
  [/c(?=[eiy])/g, 'ц'],
  [/ph/g, 'ф'],
  [/w/g, 'в'],
  [/q/g, 'к'],
]
const LATIN_LETTER: Record<string, string> = {
  a: 'а', b: 'б', c: 'к', d: 'д', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'й', k: 'к', l: 'л', m: 'м',
  n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', y: 'ы', z: 'з', "'": 'ь',
}

/** A Russian word written in Latin letters, back in Cyrillic (the spellings people type, not one standard). */
export function latinToCyrillic(text: string) {
  let out = text.toLowerCase()
  for (const [pattern, replacement] of LATIN_TO_CYRILLIC) out = out.replace(pattern, replacement)
  return out.replace(/[a-z']/g, (c) => LATIN_LETTER[c] ?? c)
}

const hasLatin = (s: string) => /[a-z]/i.test(s)
const hasCyrillic = (s: string) => /[а-яё]/i.test(s)

/** One way to read the query: the text, its language's word forms, and whether typos in it are likely. */
export interface SearchVariant {
  text: string
  /** Text-search configuration for its word forms: both for what was typed, else its script's own. */
  configs: readonly ('russian' | 'english')[]
  /** Matched by trigram similarity too: what was typed and transliterations (approximate by nature); a swapped layout gives the exact word. */
  fuzzy: boolean
}

/**
 * The query and what it may have meant, lower-cased, without repeats (at most three): Latin input
 * also as the Russian layout and as transliteration; Cyrillic input also as the English layout
 * ("дфееу" is "latte"). Mixed scripts are searched as typed only.
 */
export function searchVariants(query: string): SearchVariant[] {
  const typed = query.trim().toLowerCase()
  const variants: SearchVariant[] = [{ text: typed, configs: ['russian', 'english'], fuzzy: true }]
  if (hasLatin(typed) && !hasCyrillic(typed)) {
    variants.push({ text: swapLayout(typed, EN_TO_RU), configs: ['russian'], fuzzy: false }, { text: latinToCyrillic(typed), configs: ['russian'], fuzzy: true })
  } else if (hasCyrillic(typed) && !hasLatin(typed)) {
    variants.push({ text: swapLayout(typed, RU_TO_EN), configs: ['english'], fuzzy: false })
  }
  const seen = new Set<string>()
  return variants.filter((v) => v.text.trim() && !seen.has(v.text) && seen.add(v.text))
}
