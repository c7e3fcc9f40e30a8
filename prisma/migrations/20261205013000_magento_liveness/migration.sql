-- Magento liveness (inngest/functions/magento-ping.ts): when the store last answered a signed ping,
-- when the last failure was and since when it has been failing. `last_ping_at` was never written,
-- so it is renamed to what it now means rather than dropped.
ALTER TABLE "magento_connections" RENAME COLUMN "last_ping_at" TO "last_reached_at";

ALTER TABLE "magento_connections" ADD COLUMN "last_ping_error_at" TIMESTAMPTZ(3),
ADD COLUMN "unreachable_since" TIMESTAMPTZ(3);
