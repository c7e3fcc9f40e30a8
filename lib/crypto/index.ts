import { env } from "@/lib/env";
import { createVault, type Vault } from "./vault";

let vault: Vault | undefined;

/** The app's vault, keyed from the validated environment (fails closed when the key is missing). */
export function appVault(): Vault {
  if (!vault) {
    const e = env();
    vault = createVault(e.LEDGER_ENCRYPTION_KEY, e.LEDGER_ENCRYPTION_KEY_PREVIOUS ? [e.LEDGER_ENCRYPTION_KEY_PREVIOUS] : []);
  }
  return vault;
}

/** AAD contexts, one per secret column, so ciphertexts cannot be swapped between rows or columns. */
export const secretContext = {
  magentoApiKey: (connectionId: string) => `magento_connection:${connectionId}:api_key`,
  sageAccessToken: (connectionId: string) => `sage_connection:${connectionId}:access_token`,
  sageRefreshToken: (connectionId: string) => `sage_connection:${connectionId}:refresh_token`,
  alertWebhookUrl: (tenantId: string) => `alert_webhook:${tenantId}:url`,
  alertWebhookSecret: (tenantId: string) => `alert_webhook:${tenantId}:secret`,
};
