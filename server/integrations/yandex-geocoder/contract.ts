/**
 * Yandex Geocoder HTTP API 1.x, the part we rely on: `GET /1.x/?apikey&geocode&format=json&lang&results`
 * -> `response.GeoObjectCollection.featureMember[].GeoObject` with `Point.pos` ("<lon> <lat>") and
 * `metaDataProperty.GeocoderMetaData` (`precision`, `kind`, `Address` with `country_code`,
 * `postal_code`, `formatted` and `Components[{ kind, name }]`). An unknown address is an empty
 * `featureMember`, not an error.
 */
import { z } from 'zod'

const ComponentSchema = z.object({ kind: z.string(), name: z.string() }).loose()

export const GeoObjectSchema = z
  .object({
    metaDataProperty: z.object({
      GeocoderMetaData: z
        .object({
          precision: z.string(),
          kind: z.string(),
          text: z.string(),
          Address: z.object({ country_code: z.string().length(2).optional(), postal_code: z.string().optional(), formatted: z.string(), Components: z.array(ComponentSchema) }).loose(),
        })
        .loose(),
    }),
    Point: z.object({ pos: z.string().regex(/^-?\d+(\.\d+)? -?\d+(\.\d+)?$/) }),
  })
  .loose()

export const GeocodeResponseSchema = z.object({
  response: z.object({
    GeoObjectCollection: z.object({ featureMember: z.array(z.object({ GeoObject: GeoObjectSchema }).loose()) }).loose(),
  }),
})
