/** The demo's sign-in, shared by the seed, the start-up banner and the docs' screenshot script. */
export const DEMO_USER = {
  email: "demo@ledger.local",
  password: "ledger-demo-2026",
  name: "Dana Demo",
  workspace: "Ledger Demo Shop",
} as const;
