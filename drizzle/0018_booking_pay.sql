CREATE TABLE "booking_waitlist" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "booking_waitlist_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"service_id" integer NOT NULL,
	"resource_id" integer,
	"day" date NOT NULL,
	"starts_at" timestamp with time zone,
	"status" text DEFAULT 'waiting' NOT NULL,
	"booking_id" integer,
	"offered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_waitlist_status_check" CHECK ("booking_waitlist"."status" in ('waiting', 'offered', 'booked', 'missed', 'declined', 'left'))
);
--> statement-breakpoint
ALTER TABLE "booking_services" ADD COLUMN "prepayment_method" text;--> statement-breakpoint
ALTER TABLE "booking_services" ADD COLUMN "prepayment_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_services" ADD COLUMN "refund_deadline_minutes" integer DEFAULT 1440 NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_services" ADD COLUMN "waitlist_offer_minutes" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "prepayment_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "prepayment_currency" char(3);--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "payment_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "paid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "booking_id" integer;--> statement-breakpoint
ALTER TABLE "booking_waitlist" ADD CONSTRAINT "booking_waitlist_user_id_users_telegram_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("telegram_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_waitlist" ADD CONSTRAINT "booking_waitlist_service_id_booking_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."booking_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_waitlist" ADD CONSTRAINT "booking_waitlist_resource_id_booking_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."booking_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_waitlist" ADD CONSTRAINT "booking_waitlist_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_waitlist_line_idx" ON "booking_waitlist" USING btree ("service_id","day","id") WHERE "booking_waitlist"."status" = 'waiting';--> statement-breakpoint
CREATE INDEX "booking_waitlist_user_idx" ON "booking_waitlist" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "booking_waitlist_booking_idx" ON "booking_waitlist" USING btree ("booking_id");--> statement-breakpoint
CREATE UNIQUE INDEX "booking_waitlist_active_idx" ON "booking_waitlist" USING btree ("user_id","service_id",coalesce("resource_id", 0),"day",coalesce("starts_at", 'epoch'::timestamptz)) WHERE "booking_waitlist"."status" in ('waiting', 'offered');--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_booking_idx" ON "payments" USING btree ("booking_id");--> statement-breakpoint
ALTER TABLE "booking_services" ADD CONSTRAINT "booking_services_prepayment_check" CHECK (("booking_services"."prepayment_method" is null and "booking_services"."prepayment_minor" = 0) or ("booking_services"."prepayment_method" in ('card', 'stars') and "booking_services"."prepayment_minor" > 0));--> statement-breakpoint
ALTER TABLE "booking_services" ADD CONSTRAINT "booking_services_offer_check" CHECK ("booking_services"."waitlist_offer_minutes" between 1 and 240);