/** Identities seeded by global-setup.ts, shared by the specs. */
export const OWNER = { email: "owner@acme.test", password: "acme-owner-password", name: "Olivia Owner", tenant: "Acme Outdoor" };
export const OTHER = { email: "owner@rival.test", password: "rival-owner-password", name: "Ravi Rival", tenant: "Rival Retail" };
export const SEED_FILE = "test-results/seed.json";

export interface Seed {
  acmeTenantId: string;
  rivalTenantId: string;
}
