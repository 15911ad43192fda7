CREATE TABLE "daily_activity" (
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"user_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_activity_day_kind_user_id_pk" PRIMARY KEY("day","kind","user_id"),
	CONSTRAINT "daily_activity_kind_check" CHECK ("daily_activity"."kind" in ('app_open', 'cart'))
);
--> statement-breakpoint
ALTER TABLE "daily_activity" ADD CONSTRAINT "daily_activity_user_id_users_telegram_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("telegram_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "daily_activity_user_idx" ON "daily_activity" USING btree ("user_id");