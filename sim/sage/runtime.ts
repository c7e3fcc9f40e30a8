import type { ResolvedConfig } from "./config.ts";
import type { Db } from "./db.ts";
import type { Faults } from "./faults.ts";
import type { RateLimiter } from "./ratelimit.ts";
import type { Stats } from "./stats.ts";
import type { TokenStore } from "./tokens.ts";

/** The pieces of one running emulator that routes share. `config` is mutable via the admin API. */
export interface Runtime {
  db: Db;
  config: ResolvedConfig;
  tokens: TokenStore;
  stats: Stats;
  faults: Faults;
  limiter: RateLimiter;
}
