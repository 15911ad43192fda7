import { defineConfig } from 'drizzle-kit'

// Migrations are generated from the schema and applied at start (and by `npm run db:migrate`)
// to PGlite and PostgreSQL alike; constraints Drizzle cannot express live in `--custom` files.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
  strict: true,
  verbose: true,
})
