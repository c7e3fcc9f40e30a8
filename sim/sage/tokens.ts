import { createHash, randomBytes } from "node:crypto";
import type { ResolvedConfig } from "./config.ts";
import { SCHEMA, type Db } from "./db.ts";

/**
 * OAuth artefacts (sage-api §3.1): 60 s single-use codes, 300 s access tokens, 31-day refresh
 * tokens that rotate and die on first use. Only hashes are stored. Every grant from one consent
 * shares a family, so revoking a refresh token ends the whole connection.
 */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  refresh_token_expires_in: number;
  scope: string;
  token_type: "bearer";
  requested_by_id: string;
}

export interface Grant {
  clientId: string;
  leadBusinessId: string;
  scope: string;
  familyId: string;
  redirectUri: string | null;
}

/** The one emulated Sage user who owns every seeded business. */
export const EMULATED_USER_ID = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");
const mint = (prefix: string) => `${prefix}${randomBytes(32).toString("base64url")}`;

export class TokenStore {
  constructor(
    private readonly db: Db,
    private readonly config: ResolvedConfig,
  ) {}

  private async insert(kind: string, token: string, g: Grant, ttlSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO ${SCHEMA}.oauth_tokens (token_hash, kind, client_id, lead_business_id, scope, redirect_uri, family_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
      [hash(token), kind, g.clientId, g.leadBusinessId, g.scope, g.redirectUri, g.familyId, ttlSeconds],
    );
  }

  async issueCode(clientId: string, redirectUri: string, leadBusinessId: string, scope: string): Promise<string> {
    const code = mint("");
    await this.insert(
      "code",
      code,
      { clientId, leadBusinessId, scope, redirectUri, familyId: randomBytes(16).toString("hex") },
      this.config.codeTtlSeconds,
    );
    return code;
  }

  private async issuePair(g: Grant): Promise<TokenPair> {
    const access = mint("emu_at_");
    const refresh = mint("emu_rt_");
    await this.insert("access", access, g, this.config.accessTtlSeconds);
    await this.insert("refresh", refresh, g, this.config.refreshTtlSeconds);
    return {
      access_token: access,
      refresh_token: refresh,
      expires_in: this.config.accessTtlSeconds,
      refresh_token_expires_in: this.config.refreshTtlSeconds,
      scope: g.scope,
      token_type: "bearer",
      requested_by_id: EMULATED_USER_ID,
    };
  }

  /** Marks a code or refresh token used, atomically; a second use finds nothing (invalid_grant). */
  private async consume(kind: "code" | "refresh", token: string, clientId: string): Promise<Grant | undefined> {
    const res = await this.db.query(
      `UPDATE ${SCHEMA}.oauth_tokens SET used_at = now()
        WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING client_id, lead_business_id, scope, family_id, redirect_uri`,
      [hash(token), kind],
    );
    const row = res.rows[0];
    if (!row || row.client_id !== clientId) return undefined;
    return {
      clientId: row.client_id,
      leadBusinessId: row.lead_business_id,
      scope: row.scope,
      familyId: row.family_id,
      redirectUri: row.redirect_uri,
    };
  }

  async exchangeCode(clientId: string, code: string, redirectUri: string | undefined): Promise<TokenPair | undefined> {
    const g = await this.consume("code", code, clientId);
    if (!g || g.redirectUri !== redirectUri) return undefined;
    return this.issuePair(g);
  }

  async refresh(clientId: string, refreshToken: string): Promise<TokenPair | undefined> {
    const g = await this.consume("refresh", refreshToken, clientId);
    return g ? this.issuePair(g) : undefined;
  }

  /** Issues a pair without the consent dance (admin API, for tests and demos). */
  async issueDirect(clientId: string, leadBusinessId: string, scope: string): Promise<TokenPair> {
    return this.issuePair({ clientId, leadBusinessId, scope, redirectUri: null, familyId: randomBytes(16).toString("hex") });
  }

  /** RFC 7009 style: unknown tokens are not an error. Revoking any token ends its family. */
  async revoke(token: string): Promise<void> {
    await this.db.query(
      `UPDATE ${SCHEMA}.oauth_tokens SET revoked_at = now()
        WHERE family_id = (SELECT family_id FROM ${SCHEMA}.oauth_tokens WHERE token_hash = $1) AND revoked_at IS NULL`,
      [hash(token)],
    );
  }

  async verifyAccess(token: string): Promise<{ grant: Grant } | "expired" | undefined> {
    const res = await this.db.query(
      `SELECT client_id, lead_business_id, scope, family_id, expires_at > now() AS live
         FROM ${SCHEMA}.oauth_tokens WHERE token_hash = $1 AND kind = 'access' AND revoked_at IS NULL`,
      [hash(token)],
    );
    const row = res.rows[0];
    if (!row) return undefined;
    if (!row.live) return "expired";
    return {
      grant: {
        clientId: row.client_id,
        leadBusinessId: row.lead_business_id,
        scope: row.scope,
        familyId: row.family_id,
        redirectUri: null,
      },
    };
  }

  /** Admin: make every live access token expire now ("token expiry mid-run", sage-api §8.9). */
  async expireAccessTokens(): Promise<number> {
    const res = await this.db.query(
      `UPDATE ${SCHEMA}.oauth_tokens SET expires_at = now() - interval '1 second' WHERE kind = 'access' AND expires_at > now()`,
    );
    return res.rowCount ?? 0;
  }
}
