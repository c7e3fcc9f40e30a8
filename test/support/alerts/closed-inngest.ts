/**
 * For alert tests that run without the executor: Inngest's event API pointed at a closed loopback
 * port, so hand-overs fail fast on loopback (and are retried by the cron) instead of reaching out.
 * Imported before any app module.
 */
process.env.INNGEST_BASE_URL ??= "http://127.0.0.1:9";
