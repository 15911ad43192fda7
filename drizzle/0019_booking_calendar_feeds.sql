CREATE TABLE "booking_calendar_feeds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "booking_calendar_feeds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"resource_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"include_phone" boolean DEFAULT false NOT NULL,
	"lang" text DEFAULT 'ru' NOT NULL,
	"created_by" bigint,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "booking_calendar_feeds" ADD CONSTRAINT "booking_calendar_feeds_resource_id_booking_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."booking_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_calendar_feeds" ADD CONSTRAINT "booking_calendar_feeds_created_by_users_telegram_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("telegram_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "booking_calendar_feeds_token_idx" ON "booking_calendar_feeds" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "booking_calendar_feeds_live_idx" ON "booking_calendar_feeds" USING btree ("resource_id") WHERE "booking_calendar_feeds"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "booking_calendar_feeds_resource_idx" ON "booking_calendar_feeds" USING btree ("resource_id");