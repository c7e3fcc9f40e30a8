-- A plan belongs to the workspace, not to each binding: gating reads tenants.plan_tier only.
-- Bindings copied their workspace's plan when they were created; if one ever differed, the
-- workspace keeps the highest of them (enum order is trial < starter < growth < scale < enterprise),
-- so no merchant loses a feature they had.
UPDATE "tenants" AS t
   SET "plan_tier" = b.top
  FROM (SELECT "tenant_id", max("plan_tier") AS top FROM "bindings" GROUP BY "tenant_id") AS b
 WHERE b."tenant_id" = t."id" AND b.top > t."plan_tier";

-- AlterTable
ALTER TABLE "bindings" DROP COLUMN "plan_tier";
