-- No double booking, whatever the concurrency: among active bookings of one resource whose
-- occupied ranges (buffers included) overlap, all must be the same session (same service and
-- same start) and each on its own seat. The service picks seats 1..capacity.
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_shared_seat" EXCLUDE USING gist ("resource_id" WITH =, "seat" WITH =, tstzrange("occupied_from", "occupied_to") WITH &&) WHERE ("status" NOT IN ('cancelled', 'expired'));
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_one_service_at_a_time" EXCLUDE USING gist ("resource_id" WITH =, "service_id" WITH <>, tstzrange("occupied_from", "occupied_to") WITH &&) WHERE ("status" NOT IN ('cancelled', 'expired'));
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_one_start_at_a_time" EXCLUDE USING gist ("resource_id" WITH =, "starts_at" WITH <>, tstzrange("occupied_from", "occupied_to") WITH &&) WHERE ("status" NOT IN ('cancelled', 'expired'));
