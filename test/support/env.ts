/**
 * Deterministic, obviously-fake secrets for tests. Imported first by test files that load app modules,
 * so lib/env.ts validates a complete environment.
 */
process.env.LEDGER_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-0123456789";
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/ledger_test";
process.env.LOG_LEVEL ??= "warn";
// /api/inngest answers only signed calls outside `next dev`: tests run the embedded executor in signed
// mode with these keys (test/support/inngest.ts), never INNGEST_DEV.
process.env.INNGEST_SIGNING_KEY ??= `signkey-test-${"5e".repeat(32)}`;
process.env.INNGEST_EVENT_KEY ??= "test-event-key-0123456789abcdef";
