import { z } from "zod";

/**
 * Emulator options. Every knob has an env default so `server.ts` and tests share one parser;
 * explicit options to `startSageEmulator` win over env.
 */
export const oauthClientSchema = z.object({
  id: z.string().min(1),
  secret: z.string().min(1),
  /** Hosts a redirect URI may point at (any port, any path). */
  redirect_hosts: z.array(z.string().min(1)).min(1),
});
export type OAuthClient = z.infer<typeof oauthClientSchema>;

export const quirksSchema = z.object({
  /** Omitted delivery_address → Sage copies the billing address into it (Byte8 "SI-11"). */
  copyBillingToDelivery: z.boolean().default(true),
  /** Shipping VAT is recomputed from net × rate; a sent shipping_tax_amount is ignored. */
  recomputeShippingTax: z.boolean().default(true),
  /** Line-level failures (HTML entities) surface as line_items.description. */
  umbrellaLineErrors: z.boolean().default(true),
});
export type Quirks = z.infer<typeof quirksSchema>;

export interface SageEmulatorOptions {
  databaseUrl: string;
  port?: number;
  host?: string;
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
  codeTtlSeconds?: number;
  rateLimitPerMinute?: number;
  /** When true a request without X-Business uses the token's lead business (Sage docs); default false. */
  leadBusinessDefault?: boolean;
  clients?: OAuthClient[];
  quirks?: Partial<Quirks>;
  /** Fault rules installed at start (same shape as POST /_admin/faults). */
  faults?: unknown[];
  /** How long a "timeout" fault holds the request before dropping the socket. */
  hangMs?: number;
  /** Default document number prefixes (sage-api §3.6: configurable; SI and CN). */
  invoicePrefix?: string;
  creditNotePrefix?: string;
}

export interface ResolvedConfig {
  databaseUrl: string;
  port: number;
  host: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  codeTtlSeconds: number;
  rateLimitPerMinute: number;
  leadBusinessDefault: boolean;
  clients: OAuthClient[];
  quirks: Quirks;
  faults: unknown[];
  hangMs: number;
  invoicePrefix: string;
  creditNotePrefix: string;
}

export const DEFAULT_CLIENT: OAuthClient = {
  id: "ledger-local",
  secret: "ledger-local-secret",
  redirect_hosts: ["localhost", "127.0.0.1"],
};

const intEnv = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return n;
};

const jsonEnv = (name: string): unknown => {
  const raw = process.env[name];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${name} must be JSON`);
  }
};

export function databaseUrlFromEnv(): string | undefined {
  return process.env.SAGE_EMU_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export function resolveConfig(opts: SageEmulatorOptions): ResolvedConfig {
  const envClients = jsonEnv("SAGE_EMU_CLIENTS");
  const clients = opts.clients ?? (envClients ? z.array(oauthClientSchema).parse(envClients) : [DEFAULT_CLIENT]);
  const envFaults = jsonEnv("SAGE_EMU_FAULTS");
  return {
    databaseUrl: opts.databaseUrl,
    port: opts.port ?? intEnv("SAGE_EMU_PORT") ?? 8302,
    host: opts.host ?? process.env.SAGE_EMU_HOST ?? "127.0.0.1",
    accessTtlSeconds: opts.accessTtlSeconds ?? intEnv("SAGE_EMU_ACCESS_TTL_SECONDS") ?? 300,
    refreshTtlSeconds: opts.refreshTtlSeconds ?? intEnv("SAGE_EMU_REFRESH_TTL_SECONDS") ?? 2_678_400,
    codeTtlSeconds: opts.codeTtlSeconds ?? intEnv("SAGE_EMU_CODE_TTL_SECONDS") ?? 60,
    // sage-api §3.8 / §7: no published v3.1 figure; 100/min per business is the agreed default.
    rateLimitPerMinute: opts.rateLimitPerMinute ?? intEnv("SAGE_EMU_RATE_LIMIT_PER_MINUTE") ?? 100,
    leadBusinessDefault: opts.leadBusinessDefault ?? process.env.SAGE_EMU_LEAD_BUSINESS_DEFAULT === "1",
    clients,
    quirks: quirksSchema.parse({ ...(jsonEnv("SAGE_EMU_QUIRKS") as object | undefined), ...opts.quirks }),
    faults: opts.faults ?? (Array.isArray(envFaults) ? envFaults : []),
    hangMs: opts.hangMs ?? intEnv("SAGE_EMU_HANG_MS") ?? 120_000,
    invoicePrefix: opts.invoicePrefix ?? process.env.SAGE_EMU_INVOICE_PREFIX ?? "SI",
    creditNotePrefix: opts.creditNotePrefix ?? process.env.SAGE_EMU_CREDIT_NOTE_PREFIX ?? "CN",
  };
}
