/**
 * `npm run demo:images`: draws every demo product's illustration in Chromium (the same Debian
 * Chromium the browser tests use, nothing downloaded) and writes it as WebP to
 * `server/assets/demo/products/<slug>.webp`, where the seed picks it up and stores it through the
 * files service like an uploaded photo. The WebP files are committed; run this after changing a drawing.
 * `--png <dir>` also writes PNG copies there to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { launchBrowser } from '../../tests/helpers/browser'
import { DEMO_PRODUCTS } from '../../server/services/demo/seed-data'
import { HEIGHT, ILLUSTRATIONS, WIDTH } from './illustrations'

const out = resolve(import.meta.dirname, '../../server/assets/demo/products')
const pngIndex = process.argv.indexOf('--png')
const pngDir = pngIndex > 0 ? resolve(process.argv[pngIndex + 1] ?? 'demo-images') : undefined
const QUALITY = 0.86

const missing = DEMO_PRODUCTS.map((p) => p.slug).filter((slug) => !ILLUSTRATIONS[slug])
if (missing.length) throw new Error(`no illustration for: ${missing.join(', ')}`)

mkdirSync(out, { recursive: true })
if (pngDir) mkdirSync(pngDir, { recursive: true })
const browser = await launchBrowser()
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } })
  for (const [slug, svg] of Object.entries(ILLUSTRATIONS)) {
    const encoded = await page.evaluate(
      async ({ svg, width, height, quality }) => {
        const image = new Image()
        image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`
        await image.decode()
        const canvas = document.createElement('canvas')
        canvas.width = width
        canvas.height = height
        canvas.getContext('2d')!.drawImage(image, 0, 0, width, height)
        return { webp: canvas.toDataURL('image/webp', quality), png: canvas.toDataURL('image/png') }
      },
      { svg, width: WIDTH, height: HEIGHT, quality: QUALITY },
    )
    if (!encoded.webp.startsWith('data:image/webp;base64,')) throw new Error('this Chromium cannot encode WebP')
    const bytes = Buffer.from(encoded.webp.split(',')[1]!, 'base64')
    writeFileSync(resolve(out, `${slug}.webp`), bytes)
    if (pngDir) writeFileSync(resolve(pngDir, `${slug}.png`), Buffer.from(encoded.png.split(',')[1]!, 'base64'))
    console.log(`${slug}.webp ${(bytes.length / 1024).toFixed(1)} KB`)
  }
} finally {
  await browser.close()
}
