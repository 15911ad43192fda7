ALTER TABLE "support_conversations" ADD COLUMN "topic_chat_id" bigint;--> statement-breakpoint
ALTER TABLE "support_conversations" ADD COLUMN "topic_thread_id" integer;--> statement-breakpoint
ALTER TABLE "support_messages" ADD COLUMN "topic_message_id" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "support_conversations_topic_idx" ON "support_conversations" USING btree ("topic_chat_id","topic_thread_id");