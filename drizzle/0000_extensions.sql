-- Extensions the schema relies on: btree_gist for EXCLUDE constraints on booking time ranges,
-- pg_trgm for typo-tolerant catalog search. PGlite loads both from its contrib bundle.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
