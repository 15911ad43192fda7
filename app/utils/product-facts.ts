type Text = { ru: string; en: string }
type Facts = {
  attributes: { key: string; name: Text; value: Text }[]
  options: { key: string; values: { value: string; priceDeltaMinor?: number; attributes?: { key: string; value: Text }[] }[] }[]
}

/**
 * The product's facts for the options chosen: a value that carries its own attribute (a 400 ml
 * size) shows instead of the product's. Kept out of the first screen's code: only product pages use it.
 */
export function factsForChoice(product: Facts, selected: Record<string, string>) {
  const chosen = new Map<string, Text>()
  for (const option of product.options) {
    const value = option.values.find((v) => v.value === selected[option.key])
    for (const a of value?.attributes ?? []) chosen.set(a.key, a.value)
  }
  return product.attributes.map((a) => ({ key: a.key, name: a.name, value: chosen.get(a.key) ?? a.value }))
}

/** Whether choosing among this option's values changes any of the product's facts. */
export const changesFacts = (option: Facts['options'][number]) => option.values.some((v) => v.attributes?.length)

/**
 * Every value each fact can take across the options ("250 ml (−30 ₽) / 300 ml / 400 ml (+50 ₽)"),
 * for pages where nothing is chosen yet (the public product page); `extra` labels a value's surcharge.
 */
export function factRanges(product: Facts, lang: keyof Text, extra: (deltaMinor: number) => string = () => '') {
  return product.attributes.map((a) => {
    const values: string[] = []
    for (const option of product.options) {
      const changes = option.values.map((v) => ({ text: v.attributes?.find((o) => o.key === a.key)?.value[lang], delta: v.priceDeltaMinor ?? 0 }))
      if (changes.every((c) => c.text === undefined)) continue
      // A value of this option that does not change the fact leaves the product's own.
      for (const c of changes) {
        const label = `${c.text ?? a.value[lang]}${extra(c.delta)}`
        if (!values.includes(label)) values.push(label)
      }
    }
    return { key: a.key, name: a.name[lang], value: values.length ? values.join(' / ') : a.value[lang] }
  })
}
