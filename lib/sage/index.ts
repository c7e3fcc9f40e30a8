/** Public surface of the Sage Business Cloud Accounting v3.1 client (pure HTTP, no database). */
export { sageEndpointsFromEnv, sageEndpointsForOrigin, SAGE_DEFAULTS, type SageEndpoints } from "./config";
export { createSageOAuth, type SageOAuth, type SageOAuthOptions, type SageScope, type SageTokenSet } from "./oauth";
export { createSageClient, type SageClient, type SageClientOptions, type CreateOptions } from "./client";
export type { GetAccessToken } from "./transport";
export { classifySageResponse, isInvalidGrant, parseRetryAfter, SageInvalidGrantError, toSyncError } from "./errors";
export { sageIdempotencyId, SAGE_IDEMPOTENCY_ID, type SageIdempotentResource } from "./idempotency";
export type { FetchLike } from "./http";
export * from "./schemas";
