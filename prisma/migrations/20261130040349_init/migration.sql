-- CreateEnum
CREATE TYPE "PlanTier" AS ENUM ('trial', 'starter', 'growth', 'scale', 'enterprise');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'operator', 'viewer');

-- CreateEnum
CREATE TYPE "MagentoConnectionStatus" AS ENUM ('pending', 'active', 'token_revoked', 'revoked');

-- CreateEnum
CREATE TYPE "SageConnectionStatus" AS ENUM ('active', 'needs_reconnect', 'revoked');

-- CreateEnum
CREATE TYPE "BindingStatus" AS ENUM ('pending_sage', 'active', 'revoked');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'waiting', 'succeeded', 'skipped_by_policy', 'failed');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "plan_tier" "PlanTier" NOT NULL DEFAULT 'trial',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT,
    "email_verified" TIMESTAMPTZ(3),
    "image" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "user_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("provider","provider_account_id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "session_token" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL
);

-- CreateTable
CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "verification_tokens_pkey" PRIMARY KEY ("identifier","token")
);

-- CreateTable
CREATE TABLE "magento_connections" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "base_url" TEXT NOT NULL,
    "encrypted_api_key" TEXT,
    "status" "MagentoConnectionStatus" NOT NULL DEFAULT 'pending',
    "paired_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_ping_at" TIMESTAMPTZ(3),
    "last_ping_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "magento_connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sage_connections" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "business_id" TEXT NOT NULL,
    "business_name" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'uk',
    "base_currency" TEXT NOT NULL DEFAULT 'GBP',
    "country" TEXT NOT NULL DEFAULT 'GB',
    "status" "SageConnectionStatus" NOT NULL DEFAULT 'active',
    "encrypted_access_token" TEXT,
    "encrypted_refresh_token" TEXT,
    "access_token_expires_at" TIMESTAMPTZ(3),
    "refresh_token_expires_at" TIMESTAMPTZ(3),
    "token_version" INTEGER NOT NULL DEFAULT 0,
    "last_refreshed_at" TIMESTAMPTZ(3),
    "refresh_failure_count" INTEGER NOT NULL DEFAULT 0,
    "last_refresh_error" TEXT,
    "connected_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sage_connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_states" (
    "id" UUID NOT NULL,
    "state_hash" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "binding_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_states_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bindings" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "magento_connection_id" UUID NOT NULL,
    "sage_connection_id" UUID,
    "provider" TEXT NOT NULL DEFAULT 'sage_accounting',
    "status" "BindingStatus" NOT NULL DEFAULT 'pending_sage',
    "plan_tier" "PlanTier" NOT NULL DEFAULT 'trial',
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_policies" (
    "id" UUID NOT NULL,
    "binding_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "saved_by_id" UUID,
    "changes" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "seen_jtis" (
    "jti_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "seen_jtis_pkey" PRIMARY KEY ("jti_hash")
);

-- CreateTable
CREATE TABLE "webhook_receipts" (
    "id" UUID NOT NULL,
    "magento_connection_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "event" TEXT NOT NULL,
    "body_sha256" TEXT NOT NULL,
    "primary_run_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_receipts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "binding_id" UUID NOT NULL,
    "receipt_id" UUID,
    "event" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "magento_entity_id" INTEGER NOT NULL,
    "magento_increment_id" TEXT,
    "website_id" INTEGER NOT NULL DEFAULT 0,
    "store_id" INTEGER NOT NULL DEFAULT 0,
    "idempotency_key" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3),
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "reason_code" TEXT,
    "error_class" TEXT,
    "error_message" TEXT,
    "warnings" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "provider" TEXT NOT NULL DEFAULT 'sage_accounting',
    "provider_entity_id" TEXT,
    "provider_reference" TEXT,
    "policy_version" INTEGER NOT NULL,
    "policy_snapshot" JSONB NOT NULL,
    "entity_summary" JSONB,
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "inngest_event_id" TEXT,
    "retry_of_id" UUID,
    "sync_state_pushed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_attempts" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "step" TEXT,
    "outcome" TEXT NOT NULL,
    "error_class" TEXT,
    "error_message" TEXT,
    "http_status" INTEGER,
    "request_summary" JSONB,
    "response_summary" JSONB,
    "payload" JSONB,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,

    CONSTRAINT "run_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "entity_xrefs" (
    "id" UUID NOT NULL,
    "magento_connection_id" UUID NOT NULL,
    "sage_business_id" TEXT NOT NULL,
    "binding_id" UUID,
    "entity_type" TEXT NOT NULL,
    "magento_key" TEXT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT '',
    "sage_id" TEXT NOT NULL,
    "sage_reference" TEXT,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "entity_xrefs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sage_reference_data" (
    "id" UUID NOT NULL,
    "binding_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sage_reference_data_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_retries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "binding_id" UUID,
    "filter" JSONB NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'running',
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "bulk_retries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "actor_user_id" UUID,
    "actor_type" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_tenant_id_user_id_key" ON "memberships"("tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_tenant_id_idx" ON "invitations"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_session_token_key" ON "sessions"("session_token");

-- CreateIndex
CREATE INDEX "magento_connections_tenant_id_idx" ON "magento_connections"("tenant_id");

-- CreateIndex
CREATE INDEX "sage_connections_tenant_id_idx" ON "sage_connections"("tenant_id");

-- CreateIndex
CREATE INDEX "sage_connections_status_access_token_expires_at_idx" ON "sage_connections"("status", "access_token_expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_states_state_hash_key" ON "oauth_states"("state_hash");

-- CreateIndex
CREATE INDEX "bindings_tenant_id_idx" ON "bindings"("tenant_id");

-- CreateIndex
CREATE INDEX "bindings_magento_connection_id_status_idx" ON "bindings"("magento_connection_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "sync_policies_binding_id_version_key" ON "sync_policies"("binding_id", "version");

-- CreateIndex
CREATE INDEX "seen_jtis_expires_at_idx" ON "seen_jtis"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_receipts_magento_connection_id_idempotency_key_gene_key" ON "webhook_receipts"("magento_connection_id", "idempotency_key", "generation");

-- CreateIndex
CREATE INDEX "sync_runs_tenant_id_created_at_id_idx" ON "sync_runs"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_created_at_id_idx" ON "sync_runs"("binding_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_status_created_at_idx" ON "sync_runs"("binding_id", "status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_reason_code_created_at_idx" ON "sync_runs"("binding_id", "reason_code", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_error_class_created_at_idx" ON "sync_runs"("binding_id", "error_class", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_event_created_at_idx" ON "sync_runs"("binding_id", "event", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_entity_type_magento_entity_id_created__idx" ON "sync_runs"("binding_id", "entity_type", "magento_entity_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_binding_id_idempotency_key_idx" ON "sync_runs"("binding_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "run_attempts_run_id_number_key" ON "run_attempts"("run_id", "number");

-- CreateIndex
CREATE INDEX "entity_xrefs_sage_business_id_entity_type_sage_id_idx" ON "entity_xrefs"("sage_business_id", "entity_type", "sage_id");

-- CreateIndex
CREATE UNIQUE INDEX "entity_xrefs_magento_connection_id_sage_business_id_entity__key" ON "entity_xrefs"("magento_connection_id", "sage_business_id", "entity_type", "magento_key", "currency");

-- CreateIndex
CREATE UNIQUE INDEX "sage_reference_data_binding_id_kind_key" ON "sage_reference_data"("binding_id", "kind");

-- CreateIndex
CREATE INDEX "bulk_retries_tenant_id_created_at_idx" ON "bulk_retries"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "audit_logs_tenant_id_created_at_idx" ON "audit_logs"("tenant_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "magento_connections" ADD CONSTRAINT "magento_connections_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sage_connections" ADD CONSTRAINT "sage_connections_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bindings" ADD CONSTRAINT "bindings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bindings" ADD CONSTRAINT "bindings_magento_connection_id_fkey" FOREIGN KEY ("magento_connection_id") REFERENCES "magento_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bindings" ADD CONSTRAINT "bindings_sage_connection_id_fkey" FOREIGN KEY ("sage_connection_id") REFERENCES "sage_connections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_policies" ADD CONSTRAINT "sync_policies_binding_id_fkey" FOREIGN KEY ("binding_id") REFERENCES "bindings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_policies" ADD CONSTRAINT "sync_policies_saved_by_id_fkey" FOREIGN KEY ("saved_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_receipts" ADD CONSTRAINT "webhook_receipts_magento_connection_id_fkey" FOREIGN KEY ("magento_connection_id") REFERENCES "magento_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_binding_id_fkey" FOREIGN KEY ("binding_id") REFERENCES "bindings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_receipt_id_fkey" FOREIGN KEY ("receipt_id") REFERENCES "webhook_receipts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_attempts" ADD CONSTRAINT "run_attempts_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "entity_xrefs" ADD CONSTRAINT "entity_xrefs_magento_connection_id_fkey" FOREIGN KEY ("magento_connection_id") REFERENCES "magento_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sage_reference_data" ADD CONSTRAINT "sage_reference_data_binding_id_fkey" FOREIGN KEY ("binding_id") REFERENCES "bindings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulk_retries" ADD CONSTRAINT "bulk_retries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulk_retries" ADD CONSTRAINT "bulk_retries_binding_id_fkey" FOREIGN KEY ("binding_id") REFERENCES "bindings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_actor_user_id_fkey" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
