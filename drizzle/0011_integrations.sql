CREATE TABLE "integration_connectors" (
	"connector" text PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'ok' NOT NULL,
	"degraded_reason" text,
	"degraded_at" timestamp with time zone,
	"alerted_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"success_count" integer DEFAULT 0 NOT NULL,
	"failure_count" integer DEFAULT 0 NOT NULL,
	"last_latency_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_connectors_state_check" CHECK ("integration_connectors"."state" in ('ok', 'degraded'))
);
--> statement-breakpoint
CREATE TABLE "integration_deliveries" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "integration_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" uuid NOT NULL,
	"connector" text NOT NULL,
	"aggregate_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"last_http_status" integer,
	"last_response" jsonb,
	"contract_issues" jsonb,
	"external_id" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_deliveries_status_check" CHECK ("integration_deliveries"."status" in ('pending', 'delivered', 'held', 'dead'))
);
--> statement-breakpoint
CREATE TABLE "integration_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integration_inbound" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "integration_inbound_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"connector" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"raw" jsonb,
	"issues" jsonb,
	"summary" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integration_inbound_status_check" CHECK ("integration_inbound"."status" in ('accepted', 'applied', 'quarantined'))
);
--> statement-breakpoint
ALTER TABLE "integration_deliveries" ADD CONSTRAINT "integration_deliveries_event_id_integration_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."integration_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "integration_deliveries_event_connector_idx" ON "integration_deliveries" USING btree ("event_id","connector");--> statement-breakpoint
CREATE INDEX "integration_deliveries_connector_idx" ON "integration_deliveries" USING btree ("connector","id");--> statement-breakpoint
CREATE INDEX "integration_deliveries_status_idx" ON "integration_deliveries" USING btree ("status","connector");--> statement-breakpoint
CREATE INDEX "integration_deliveries_aggregate_idx" ON "integration_deliveries" USING btree ("connector","aggregate_key","id");--> statement-breakpoint
CREATE INDEX "integration_events_aggregate_idx" ON "integration_events" USING btree ("aggregate_type","aggregate_id","created_at");--> statement-breakpoint
CREATE INDEX "integration_inbound_connector_idx" ON "integration_inbound" USING btree ("connector","id");