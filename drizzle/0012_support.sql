CREATE TABLE "support_articles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "support_articles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"category" text NOT NULL,
	"title" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"published" boolean DEFAULT true NOT NULL,
	"helpful_yes" integer DEFAULT 0 NOT NULL,
	"helpful_no" integer DEFAULT 0 NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('russian', coalesce(title->>'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(title->>'en', '')), 'A') || setweight(to_tsvector('russian', coalesce(body->>'ru', '')), 'C') || setweight(to_tsvector('english', coalesce(body->>'en', '')), 'C')) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_conversations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "support_conversations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"customer_id" bigint NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"assignee_id" bigint,
	"article_slug" text,
	"order_id" integer,
	"unread_for_staff" integer DEFAULT 0 NOT NULL,
	"unread_for_customer" integer DEFAULT 0 NOT NULL,
	"last_message_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_message_preview" text,
	"first_response_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"rating" smallint,
	"rating_comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_conversations_status_check" CHECK ("support_conversations"."status" in ('open', 'waiting', 'closed')),
	CONSTRAINT "support_conversations_rating_check" CHECK ("support_conversations"."rating" is null or "support_conversations"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "support_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "support_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"conversation_id" integer NOT NULL,
	"kind" text NOT NULL,
	"author_id" bigint,
	"text" text,
	"attachment" jsonb,
	"source_key" text,
	"delivery" text,
	"delivery_error" text,
	"delivery_attempts" integer DEFAULT 0 NOT NULL,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_messages_kind_check" CHECK ("support_messages"."kind" in ('customer', 'operator', 'note', 'auto')),
	CONSTRAINT "support_messages_content_check" CHECK ("support_messages"."text" is not null or "support_messages"."attachment" is not null)
);
--> statement-breakpoint
ALTER TABLE "support_conversations" ADD CONSTRAINT "support_conversations_customer_id_users_telegram_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("telegram_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_conversations" ADD CONSTRAINT "support_conversations_assignee_id_users_telegram_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("telegram_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_conversations" ADD CONSTRAINT "support_conversations_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_conversation_id_support_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."support_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_author_id_users_telegram_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("telegram_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "support_articles_slug_idx" ON "support_articles" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "support_articles_search_idx" ON "support_articles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "support_articles_title_trgm_idx" ON "support_articles" USING gin ((lower(("title"->>'ru') || ' ' || ("title"->>'en'))) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "support_conversations_one_open_idx" ON "support_conversations" USING btree ("customer_id") WHERE "support_conversations"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "support_conversations_customer_idx" ON "support_conversations" USING btree ("customer_id","id");--> statement-breakpoint
CREATE INDEX "support_conversations_inbox_idx" ON "support_conversations" USING btree ("status","last_message_at");--> statement-breakpoint
CREATE INDEX "support_conversations_assignee_idx" ON "support_conversations" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "support_messages_source_idx" ON "support_messages" USING btree ("source_key");--> statement-breakpoint
CREATE INDEX "support_messages_conversation_idx" ON "support_messages" USING btree ("conversation_id","id");