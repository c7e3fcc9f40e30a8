/**
 * Runs once when the server starts: validate the environment so a missing secret stops the app at
 * boot instead of failing the first request that needs it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  env();
}
