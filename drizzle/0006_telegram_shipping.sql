ALTER TABLE "orders" DROP CONSTRAINT "orders_delivery_check";--> statement-breakpoint
ALTER TABLE "delivery_zones" ADD COLUMN "country_code" char(2);--> statement-breakpoint
ALTER TABLE "delivery_zones" ADD COLUMN "cities" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "delivery_zones" ADD COLUMN "post_code_prefixes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "shipping_address" jsonb;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "shipping_option_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_delivery_check" CHECK (("orders"."delivery_method" = 'pickup' and "orders"."pickup_point_id" is not null) or ("orders"."delivery_method" = 'courier' and "orders"."delivery_zone_id" is not null and "orders"."address" is not null) or ("orders"."delivery_method" = 'telegram_shipping' and "orders"."pickup_point_id" is null and ("orders"."status" in ('awaiting_payment', 'cancelled') or ("orders"."delivery_zone_id" is not null and "orders"."shipping_address" is not null and "orders"."address" is not null))));