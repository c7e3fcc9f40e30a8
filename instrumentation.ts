/**
 * Runs once when the server starts: validate the environment so a missing secret stops the app at
 * boot instead of failing the first request that needs it.
 */
export async function register() {
  // NEXT_RUNTIME is Next's own per-runtime build constant, not configuration: the one variable read
  // outside lib/env.ts, in the form Next inlines.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  env();
}
