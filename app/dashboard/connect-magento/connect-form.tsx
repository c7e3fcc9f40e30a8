"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { connectMagentoAction, type ConnectMagentoFormState } from "./actions";

export function ConnectMagentoForm() {
  const [state, action, pending] = useActionState<ConnectMagentoFormState, FormData>(connectMagentoAction, {});
  const [baseUrl, setBaseUrl] = useState<string | null>(null);
  const shownUrl = baseUrl ?? state.values?.magentoBaseUrl ?? "";
  return (
    <form action={action} className="space-y-4">
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
        error={state.fields?.magentoBaseUrl}
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
        error={state.fields?.pairingCode}
        hint="Stores → Configuration → Byte8 → Generate pairing code. Codes last 30 minutes."
      />
      {state.error && !state.fields ? (
        <div role="alert" className="space-y-2 rounded-md bg-bad-soft px-3 py-2 text-bad">
          <p>{state.error}</p>
          {state.suggestedBaseUrl ? (
            <button type="button" className="font-medium underline" onClick={() => setBaseUrl(state.suggestedBaseUrl ?? null)}>
              Use {state.suggestedBaseUrl}
            </button>
          ) : null}
          <p className="text-xs text-muted">Nothing was changed in Ledger or in your store. You can try again.</p>
        </div>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Pairing with your store…" : "Pair store"}
      </Button>
    </form>
  );
}
