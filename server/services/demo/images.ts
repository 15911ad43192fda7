import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { DemoImageReader } from './seed'

/**
 * The demo products' pictures as committed in the repo (`server/assets/demo/products/<slug>.webp`,
 * drawn by `npm run demo:images`): for `npm run db:seed` and tests, which run from the repo. The
 * built server reads the same files from its bundle (Nitro server assets) instead.
 */
export function demoImagesFromFolder(dir = resolve(import.meta.dirname, '../../assets/demo/products')): DemoImageReader {
  return (slug) => readFile(resolve(dir, `${slug}.webp`)).catch(() => undefined)
}

/** The key of a product's picture in Nitro's `assets:server` storage. */
export const demoImageAssetKey = (slug: string) => `demo/products/${slug}.webp`
