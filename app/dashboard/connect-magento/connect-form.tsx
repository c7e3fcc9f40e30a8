"use client";

import { useState } from "react";
import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { connectMagentoAction } from "./actions";

export function ConnectMagentoForm() {
  const f = useAction(connectMagentoAction);
  const [baseUrl, setBaseUrl] = useState<string | null>(null);
  const shownUrl = baseUrl ?? f.value("magentoBaseUrl") ?? "";
  const suggested = f.error?.suggestions?.magentoBaseUrl;
  return (
    <form action={f.action} className="space-y-4">
      <Field
        label="Store address"
        name="magentoBaseUrl"
        type="url"
        inputMode="url"
        placeholder="https://shop.example.com"
        autoComplete="url"
        required
        value={shownUrl}
        onChange={(e) => setBaseUrl(e.target.value)}
        error={f.field("magentoBaseUrl")}
        hint="Magento shows it next to the pairing code."
        autoFocus
      />
      <Field
        label="Pairing code"
        name="pairingCode"
        autoComplete="off"
        spellCheck={false}
        placeholder="32 characters, 0–9 and a–f"
        className="font-mono"
        required
        error={f.field("pairingCode")}
        hint="Stores → Configuration → Byte8 → Generate pairing code. Codes last 30 minutes."
      />
      {f.error && !f.hasFields ? (
        <Alert tone="error" className="space-y-2">
          <p>{f.error.message}</p>
          {suggested ? (
            <button type="button" className="font-medium underline" onClick={() => setBaseUrl(suggested)}>
              Use {suggested}
            </button>
          ) : null}
          <p className="text-xs text-muted">Nothing was changed in Ledger or in your store. You can try again.</p>
        </Alert>
      ) : null}
      <Button type="submit" className="w-full" disabled={f.pending}>
        {f.pending ? "Pairing with your store…" : "Pair store"}
      </Button>
    </form>
  );
}
