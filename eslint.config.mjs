import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * Which room may import which (README, Architecture): routes (app/) and the Inngest functions
 * (inngest/) use lib/; lib/ never reaches back into them, into components/, or into the dev and test
 * tools (sim/, tools/, test/, scripts/, bench/); product code never imports those tools either.
 * Tests may import anything. `npm run lint:imports` checks the graph has no circle.
 */
const room = (names) => `^(@/|(\\.\\./)+)(${names.join("|")})(/|$)`;
const DEV_TOOLS = ["sim", "tools", "test", "scripts", "bench", "e2e"];
const restrict = (names, message) => ({ "no-restricted-imports": ["error", { patterns: [{ regex: room(names), message }] }] });

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["node_modules/**", ".next/**", "src/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**", ".data/**"],
  },
  {
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: restrict(
      ["app", "components", "inngest", ...DEV_TOOLS],
      "lib/ is below routes, functions and components, and never uses the dev and test tools.",
    ),
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: restrict(
      ["app", "inngest", ...DEV_TOOLS],
      "components/ are used by routes, never the reverse; they take server actions as props.",
    ),
  },
  {
    files: ["app/**/*.{ts,tsx}", "inngest/**/*.ts", "proxy.ts", "instrumentation.ts"],
    ignores: ["**/*.test.ts"],
    rules: restrict(DEV_TOOLS, "product code never imports the simulators, the executor, tests or scripts."),
  },
];

export default config;
