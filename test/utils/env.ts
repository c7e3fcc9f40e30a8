/**
 * Deterministic, obviously-fake secrets for tests. Imported first by test files that load app modules,
 * so lib/env.ts validates a complete environment.
 */
process.env.LEDGER_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-0123456789";
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/ledger_test";
process.env.LOG_LEVEL ??= "warn";
