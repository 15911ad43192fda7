ALTER TABLE "products" ALTER COLUMN "attributes" SET DEFAULT '[]'::jsonb;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "tags" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "products_tags_idx" ON "products" USING gin ("tags");